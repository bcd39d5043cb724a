package dev.patrol.console;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.AUDIT_EVENTS;
import static patrol.jooq.Tables.NAMESPACES;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.User;
import dev.patrol.settings.SettingsChange;
import dev.patrol.settings.SettingsService;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.SqlRecorder;
import dev.patrol.support.TestConfig;
import dev.patrol.token.AccessToken;
import dev.patrol.token.AuthFailure;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/** Every script in console-scripts/, run in-process through the runner against a seeded database. */
@PatrolTest
class ConsoleScriptsTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 10);

    @Autowired ScriptRunner runner;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired OwnerService owners;
    @Autowired SettingsService settings;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    User admin;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
        settings.update(Actor.system(), new SettingsChange(365, true, true));
        admin = fixtures.admin();
    }

    record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    Result run(ScriptRun run) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = runner.run(run, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    Result run(String script, String... args) {
        return run(ScriptRun.of(script, args).as(admin.username()));
    }

    IssuedToken projectToken(Project project, LocalDate expiresAt, String... scopes) {
        return tokens.issue(Actor.system(), new NewToken(TokenType.PROJECT, Fixtures.unique("pat"), null,
                List.of(scopes), expiresAt, null, project.id(), null, null, 40, null));
    }

    IssuedToken groupToken(Group group, LocalDate expiresAt, String... scopes) {
        return tokens.issue(Actor.system(), new NewToken(TokenType.GROUP, Fixtures.unique("gat"), null,
                List.of(scopes), expiresAt, null, null, group.id(), null, 30, null));
    }

    long auditCount(String action, long targetId) {
        return dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq(action).and(AUDIT_EVENTS.TARGET_ID.eq(targetId)));
    }

    // the seed ports

    @Test
    void expiredTokensListsHumanAndProjectAndGroupTokensExpiringOnTheDateInTheSeedFormat() {
        LocalDate date = TODAY.plusDays(201);
        User human = fixtures.human();
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        AccessToken pat = fixtures.pat(human, date, "api", "read_api").token();
        AccessToken pt = projectToken(project, date, "read_api", "create_runner").token();
        AccessToken gt = groupToken(group, date, "read_api").token();
        AccessToken otherDay = fixtures.pat(human, date.plusDays(1), "api").token();
        AccessToken serviceAccount = fixtures.pat(fixtures.serviceAccount(group), date, "api").token();

        Result result = run("expired_tokens.groovy", date.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.lines()).contains(
                "Expired personal access token ID: " + pat.id() + ", User Email: " + human.email() + ", Name: "
                        + pat.name() + ", Scopes: [\"api\", \"read_api\"], Last used: ",
                "Expired Project access token in Project ID " + project.id() + ", Token ID: " + pt.id() + ", Name: "
                        + pt.name() + ", Scopes: [\"read_api\", \"create_runner\"], Last used: ",
                "Expired Group access token in Group ID " + group.id() + ", Token ID: " + gt.id() + ", Name: "
                        + gt.name() + ", Scopes: [\"read_api\"], Last used: ");
        assertThat(result.out()).doesNotContain("Token ID: " + otherDay.id() + ",", "ID: " + otherDay.id() + ",")
                .doesNotContain("ID: " + serviceAccount.id() + ",");
    }

    @Test
    void lastUsedIsPrintedInUtcLikeRails() {
        LocalDate date = TODAY.plusDays(202);
        AccessToken pat = fixtures.pat(fixtures.human(), date, "read_api").token();
        dsl.update(ACCESS_TOKENS).set(ACCESS_TOKENS.LAST_USED_AT, java.time.LocalDateTime.of(2026, 2, 11, 13, 22, 14))
                .where(ACCESS_TOKENS.ID.eq(pat.id())).execute();

        assertThat(run("expired_tokens.groovy", date.toString()).out())
                .contains("Name: " + pat.name() + ", Scopes: [\"read_api\"], Last used: 2026-02-11 13:22:14 UTC");
    }

    @Test
    void expiredTokensDateRangeDefaultsToOneMonthAndTakesAPeriod() {
        User human = fixtures.human();
        AccessToken soon = fixtures.pat(human, TODAY.plusDays(10), "api").token();
        AccessToken later = fixtures.pat(human, TODAY.plusDays(45), "api").token();

        Result month = run("expired_tokens_date_range.groovy");
        Result twoMonths = run("expired_tokens_date_range.groovy", "2.months");

        assertThat(month.exitCode()).isZero();
        assertThat(month.out()).contains("Expired personal access token ID: " + soon.id() + ",")
                .doesNotContain("Expired personal access token ID: " + later.id() + ",");
        assertThat(twoMonths.out()).contains("Expired personal access token ID: " + later.id() + ",");
    }

    @Test
    void datesWhenMostTokensExpireCountsPerDate() {
        LocalDate date = TODAY.plusDays(333);
        User human = fixtures.human();
        for (int i = 0; i < 60; i++) {
            fixtures.pat(human, date, "read_api");
        }

        Result result = run("dates_when_most_of_tokens_expire.groovy");

        assertThat(result.exitCode()).isZero();
        assertThat(result.lines()).hasSizeLessThanOrEqualTo(10)
                .allMatch(l -> l.matches("\\d+ Personal access tokens will expire at \\d{4}-\\d{2}-\\d{2}"));
        String line = result.lines().stream().filter(l -> l.endsWith(" at " + date)).findFirst().orElseThrow();
        assertThat(Integer.parseInt(line.split(" ")[0])).isGreaterThanOrEqualTo(60);
    }

    @Test
    void tokensWithNoExpiryListsThemInTheSeedFormat() {
        settings.update(Actor.system(), new SettingsChange(null, false, null));
        User human = fixtures.human();
        Group group = fixtures.group();
        AccessToken pat = fixtures.pat(human, (LocalDate) null, "read_user").token();
        AccessToken gt = groupToken(group, null, "api").token();
        AccessToken dated = fixtures.pat(human, TODAY.plusDays(3), "api").token();

        Result result = run("tokens_with_no_expiry.groovy");

        assertThat(result.lines()).contains(
                "Expires_at is nil for personal access token ID: " + pat.id() + ", User Email: " + human.email()
                        + ", Name: " + pat.name() + ", Scopes: [\"read_user\"], Last used: ",
                "Expires_at is nil for Group access token in Group ID " + group.id() + ", Token ID: " + gt.id()
                        + ", Name: " + gt.name() + ", Scopes: [\"api\"], Last used: ");
        assertThat(result.out()).doesNotContain("ID: " + dated.id() + ",");
    }

    @Test
    void extendExpiringTokensMovesUnrevokedTokensOfTheDateAndIsAuditedAsTheOperator() {
        LocalDate date = TODAY.plusDays(77);
        LocalDate newDate = TODAY.plusDays(200);
        User human = fixtures.human();
        Project project = fixtures.project(fixtures.group());
        AccessToken a = fixtures.pat(human, date, "api").token();
        AccessToken b = projectToken(project, date, "api").token();
        AccessToken revoked = fixtures.pat(human, date, "api").token();
        tokens.revoke(Actor.system(), revoked.id());
        AccessToken impersonation = tokens.issue(Actor.system(), new NewToken(TokenType.IMPERSONATION, "imp", null,
                List.of("api"), date, human.id(), null, null, null, null, null)).token();

        Result result = run("extend_expiring_tokens.groovy", date.toString(), newDate.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.lines()).containsExactly("Updated 2 tokens with new expiry date " + newDate);
        assertThat(tokens.token(a.id()).expiresAt()).isEqualTo(newDate);
        assertThat(tokens.token(b.id()).expiresAt()).isEqualTo(newDate);
        assertThat(tokens.token(revoked.id()).expiresAt()).isEqualTo(date);
        assertThat(tokens.token(impersonation.id()).expiresAt()).isEqualTo(date);
        var event = dsl.selectFrom(AUDIT_EVENTS).where(AUDIT_EVENTS.ACTION.eq("tokens_bulk_extended"))
                .orderBy(AUDIT_EVENTS.ID.desc()).limit(1).fetchSingle();
        assertThat(event.getActorName()).isEqualTo(admin.username());
        assertThat(event.getSource()).isEqualTo("console");
        assertThat(event.getDetails()).contains("count=2");
    }

    @Test
    void extendExpiringTokensDefaultsToSixMonthsFromToday() {
        LocalDate date = TODAY.plusDays(78);
        AccessToken a = fixtures.pat(fixtures.human(), date, "api").token();

        Result result = run("extend_expiring_tokens.groovy", date.toString());

        assertThat(result.lines()).containsExactly("Updated 1 tokens with new expiry date " + TODAY.plusMonths(6));
        assertThat(tokens.token(a.id()).expiresAt()).isEqualTo(TODAY.plusMonths(6));
    }

    @Test
    void createTokenMakesAnAuthenticatablePatWithThePredeterminedValue() {
        User bot = fixtures.human();
        String random = "AutomationToken0123456789abcdefg";

        Result result = run("create_token.groovy", bot.username(), random, "--name", "Automation token");

        assertThat(result.exitCode()).as(result.err()).isZero();
        String value = dev.patrol.token.TokenSecrets.withChecksum("glpat-", random);
        var auth = tokens.authenticate(value);
        assertThat(auth.failure()).isNull();
        assertThat(auth.user().id()).isEqualTo(bot.id());
        assertThat(auth.token().scopes()).extracting(s -> s.id()).containsExactly("read_user", "read_repository");
        assertThat(result.lines()).containsExactly(
                "Created personal access token ID: " + auth.token().id() + " for " + bot.username()
                        + ", Name: Automation token, Scopes: [\"read_user\", \"read_repository\"], Expires: "
                        + auth.token().expiresAt(),
                "Token value: " + value);
        assertThat(auditCount("token_created", auth.token().id())).isEqualTo(1);
    }

    @Test
    void revokeTokenRevokesByValueAuditsTheOperatorAndNeverPrintsTheValue() {
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");

        Result result = run("revoke_token.groovy", issued.secret());

        assertThat(result.exitCode()).isZero();
        assertThat(result.lines()).containsExactly("Revoked personal token ID: " + issued.token().id() + ", Name: "
                + issued.token().name());
        assertThat(result.out() + result.err()).doesNotContain(issued.secret());
        assertThat(tokens.authenticate(issued.secret()).failure()).isEqualTo(AuthFailure.REVOKED);
        var event = dsl.selectFrom(AUDIT_EVENTS).where(AUDIT_EVENTS.ACTION.eq("token_revoked"))
                .and(AUDIT_EVENTS.TARGET_ID.eq(issued.token().id())).fetchSingle();
        assertThat(event.getActorId()).isEqualTo(admin.id());
        assertThat(event.getSource()).isEqualTo("console");
        assertThat(String.valueOf(event.getDetails())).doesNotContain(issued.secret());
    }

    @Test
    void revokeTokenOfAnUnknownValueFailsClearly() {
        Result result = run("revoke_token.groovy", "glpat-nope");

        assertThat(result.exitCode()).isEqualTo(ScriptRunner.FAILED);
        assertThat(result.err()).contains("revoke_token.groovy:").contains("No token has that value.")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void agentTokenInfoAndAuditedRevoke() {
        Project project = fixtures.project(fixtures.group());
        Resource agent = owners.createResource(Actor.system(), ResourceKind.CLUSTER_AGENT, "prod", project.id(),
                null, null);
        IssuedToken issued = tokens.issue(Actor.system(), new NewToken(TokenType.CLUSTER_AGENT, "agent", null,
                List.of(), null, null, null, null, agent.id(), null, null));
        long id = issued.token().id();

        Result info = run("agent_token_info.groovy", issued.secret());
        Result revoke = run("revoke_agent_token.groovy", issued.secret());

        assertThat(info.lines()).containsExactly("Token ID: " + id, "Agent ID: " + agent.id(),
                "Project ID: " + project.id());
        assertThat(revoke.lines()).containsExactly("Revoked agent token ID: " + id + " of agent ID: " + agent.id()
                + " in project ID: " + project.id());
        assertThat(tokens.token(id).isRevoked()).isTrue();
        assertThat(auditCount("token_revoked", id)).isEqualTo(1);
        assertThat(run("agent_token_info.groovy", fixtures.pat(fixtures.human(), "api").secret()).err())
                .contains("No agent token has that value.");
    }

    @Test
    void seedDemoDataBuildsASmallEstateOnceAndRefusesADuplicate() {
        String prefix = Fixtures.unique("demo");

        Result first = run("seed_demo_data.groovy", "--prefix", prefix);
        Result again = run("seed_demo_data.groovy", "--prefix", prefix);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("Created group '" + prefix + "' with 13 tokens (1 revoked) for 4 users.");
        long groupId = dsl.select(NAMESPACES.ID).from(NAMESPACES).where(NAMESPACES.FULL_PATH.eq(prefix))
                .fetchSingle(NAMESPACES.ID);
        assertThat(dsl.fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.ROOT_GROUP_ID.eq(groupId))).isGreaterThanOrEqualTo(7);
        assertThat(again.exitCode()).isEqualTo(ScriptRunner.FAILED);
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void generateInventoryWritesTheEstateAndUsableSecrets(@TempDir Path dir) throws IOException {
        // years ahead, so the generated expiry dates stay clear of the dates the other tests count
        clock.set(TestConfig.START.plus(java.time.Duration.ofDays(3650)));
        Path secrets = dir.resolve("secrets.txt");
        int before = dsl.fetchCount(ACCESS_TOKENS);

        Result result = run("generate_inventory.groovy", "--users", "30", "--tokens", "2500", "--usable", "5",
                "--secrets-file", secrets.toString(), "--seed", "7");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(dsl.fetchCount(ACCESS_TOKENS)).isEqualTo(before + 2500);
        assertThat(result.out()).contains("and 2500 tokens (5 usable,");
        List<String> values = Files.readAllLines(secrets);
        assertThat(values).hasSize(5).doesNotHaveDuplicates();
        for (String value : values) {
            var auth = tokens.authenticate(value);
            assertThat(auth.failure()).isNull();
            assertThat(auth.token().scopes()).extracting(s -> s.id()).containsExactly("read_api");
        }
    }

    // runner behaviour

    @Test
    void dryRunRollsBackEverythingAndSaysSo() {
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");

        Result result = run(ScriptRun.of("revoke_token.groovy", issued.secret()).as(admin.username()).withDryRun());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Revoked personal token ID: " + issued.token().id());
        assertThat(result.err()).contains("Dry run: every change was rolled back.");
        assertThat(tokens.token(issued.token().id()).isRevoked()).isFalse();
        assertThat(auditCount("token_revoked", issued.token().id())).isZero();
    }

    @Test
    void aFailingScriptRollsBackWhatItChangedAndNamesTheLine(@TempDir Path dir) throws IOException {
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");
        Path script = dir.resolve("half_done.groovy");
        Files.writeString(script, """
                AccessTokens.find(%d).revoke()
                println 'revoked'
                throw new IllegalStateException('boom')
                """.formatted(issued.token().id()));

        Result result = run(script.toString());

        assertThat(result.exitCode()).isEqualTo(ScriptRunner.FAILED);
        assertThat(result.err()).contains("ERROR half_done.groovy:3: boom").contains("Nothing was changed.")
                .doesNotContain("\tat ");
        assertThat(tokens.token(issued.token().id()).isRevoked()).isFalse();
        assertThat(auditCount("token_revoked", issued.token().id())).isZero();
    }

    @Test
    void aServiceRuleViolationIsReportedWithItsMessage(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("block_self.groovy");
        Files.writeString(script, "operator.block()\n");

        Result result = run(script.toString());

        assertThat(result.exitCode()).isEqualTo(ScriptRunner.FAILED);
        assertThat(result.err()).contains("block_self.groovy:1: You cannot block or unblock yourself.");
    }

    @Test
    void aSyntaxErrorIsReportedWithFileAndLineAndNothingRuns(@TempDir Path dir) throws IOException {
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");
        Path script = dir.resolve("broken.groovy");
        Files.writeString(script, "AccessTokens.find(" + issued.token().id() + ").revoke()\nx = (1 +\n");

        Result result = run(script.toString());

        assertThat(result.exitCode()).isEqualTo(ScriptRunner.FAILED);
        assertThat(result.err()).startsWith("ERROR broken.groovy:");
        assertThat(tokens.token(issued.token().id()).isRevoked()).isFalse();
    }

    @Test
    void badArgumentsFailClearly() {
        Result notADate = run("expired_tokens.groovy", "tomorrow");
        Result missing = run("extend_expiring_tokens.groovy");
        Result badPeriod = run("expired_tokens_date_range.groovy", "soon");

        assertThat(notADate.exitCode()).isEqualTo(ScriptRunner.FAILED);
        assertThat(notADate.err()).contains("expired_tokens.groovy:").contains("must be a date like 2024-05-22, not 'tomorrow'");
        assertThat(missing.exitCode()).isEqualTo(ScriptRunner.FAILED);
        assertThat(missing.err()).contains("Missing argument 1.").contains("Usage: runner extend_expiring_tokens.groovy");
        assertThat(badPeriod.err()).contains("PERIOD must look like 1.month");
    }

    @Test
    void onlyActiveAdministratorsMayRunScripts() {
        User human = fixtures.human();
        IssuedToken issued = fixtures.pat(human, "api");

        Result notAdmin = run(ScriptRun.of("revoke_token.groovy", issued.secret()).as(human.username()));
        Result nobody = run(ScriptRun.of("revoke_token.groovy", issued.secret()).as(Fixtures.unique("ghost")));

        assertThat(notAdmin.exitCode()).isEqualTo(ScriptRunner.USAGE);
        assertThat(notAdmin.err()).contains("is not an active administrator");
        assertThat(nobody.exitCode()).isEqualTo(ScriptRunner.USAGE);
        assertThat(tokens.token(issued.token().id()).isRevoked()).isFalse();
    }

    @Test
    void helpPrintsTheHeaderCommentAndUnknownScriptsAreUsageErrors() {
        Result help = run(ScriptRun.parse(List.of("expired_tokens", "--help")));
        Result unknown = run("no_such_script.groovy");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Lists the personal access tokens of human users")
                .contains("Usage: runner expired_tokens.groovy DATE");
        assertThat(unknown.exitCode()).isEqualTo(ScriptRunner.USAGE);
        assertThat(unknown.err()).contains("Script not found: no_such_script.groovy");
    }

    @Test
    void aTransactionBlockCommitsOnItsOwnButNotUnderDryRun(@TempDir Path dir) throws IOException {
        IssuedToken first = fixtures.pat(fixtures.human(), "api");
        IssuedToken second = fixtures.pat(fixtures.human(), "api");
        Path script = dir.resolve("chunked.groovy");
        Files.writeString(script, """
                transaction { AccessTokens.find(args[0] as long).revoke() }
                fail('stopped after the first chunk')
                """);

        Result dry = run(ScriptRun.of(script.toString(), String.valueOf(second.token().id()))
                .as(admin.username()).withDryRun());
        Result real = run(script.toString(), String.valueOf(first.token().id()));

        assertThat(real.exitCode()).isEqualTo(ScriptRunner.FAILED);
        assertThat(real.err()).contains("chunked.groovy:2: stopped after the first chunk");
        assertThat(tokens.token(first.token().id()).isRevoked()).isTrue();
        assertThat(dry.exitCode()).isEqualTo(ScriptRunner.FAILED);
        assertThat(tokens.token(second.token().id()).isRevoked()).isFalse();
    }

    @Test
    void scriptsWalkQueriesLazilyAndUseTheBindings(@TempDir Path dir) throws IOException {
        User human = fixtures.human();
        for (int i = 0; i < 5; i++) {
            fixtures.pat(human, TODAY.plusDays(20), "read_api");
        }
        Path script = dir.resolve("walk.groovy");
        Files.writeString(script, """
                def user = Users.findByUsername(args[0])
                def seen = 0
                user.personalAccessTokens.inChunksOf(2).each { seen++ }
                println "seen ${seen} of ${user.personalAccessTokens.count()}"
                println "settings ${Settings.current.maxLifetimeDays()}"
                println "rows ${dsl.fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.USER_ID.eq(user.id))}"
                out.println "operator ${operator.username}"
                """);

        Result result = run(script.toString(), human.username());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines()).containsExactly("seen 5 of 5", "settings 365", "rows 5",
                "operator " + admin.username());
    }

    @Test
    void eachWalksEveryMatchingTokenOnceInIdOrderWithItsUserAndScopesInOneStatementPerChunk(@TempDir Path dir)
            throws IOException {
        LocalDate date = TODAY.plusDays(203);
        List<User> humans = List.of(fixtures.human(), fixtures.human(), fixtures.human());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            User owner = humans.get(i % humans.size());
            AccessToken pat = (i % 2 == 0 ? fixtures.pat(owner, date, "read_api", "api")
                    : fixtures.pat(owner, date, "read_repository")).token();
            expected.add(pat.id() + " " + owner.email() + " " + (i % 2 == 0 ? "[\"api\", \"read_api\"]"
                    : "[\"read_repository\"]"));
        }
        fixtures.pat(fixtures.serviceAccount(fixtures.group()), date, "api");
        fixtures.pat(humans.getFirst(), date.plusDays(1), "api");
        Path script = dir.resolve("walk.groovy");
        Files.writeString(script, """
                PersonalAccessTokens.ownerIsHuman().where(expiresAt: args[0]).inChunksOf(3).each { t ->
                    println "${t.id} ${t.user.email} ${t.scopeList}"
                }
                """);

        List<Result> walk = new ArrayList<>();
        int walkSelects = SqlRecorder.selectsDuring(dsl, () -> walk.add(run(script.toString(), date.toString())));
        int emptyWalkSelects = SqlRecorder.selectsDuring(dsl, () -> run(script.toString(), date.plusYears(5).toString()));

        assertThat(walk.getFirst().exitCode()).as(walk.getFirst().err()).isZero();
        assertThat(walk.getFirst().lines()).containsExactlyElementsOf(expected);
        // chunks of 3, 3 and 1 against the one empty chunk: users and scopes come with the tokens
        assertThat(walkSelects - emptyWalkSelects).isEqualTo(2);
    }

    @Test
    void theReadmeExampleScriptOffboardsAUser(@TempDir Path dir) throws IOException {
        User leaver = fixtures.human();
        AccessToken active = fixtures.pat(leaver, "api").token();
        Path script = dir.resolve("offboard.groovy");
        Files.writeString(script, """
                // Revokes every active token of a user who left.
                // Usage: runner offboard.groovy USERNAME
                def user = Users.findByUsername(argument(0)) ?: fail("No user '${args[0]}'.")
                AccessTokens.active().where(userId: user.id).each { t ->
                    t.revoke()
                    println "Revoked ${t.reference()} '${t.name}'"
                }
                user.block()
                """);

        Result result = run(script.toString(), leaver.username());
        Result unknown = run(script.toString(), "nobody-at-all");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines()).containsExactly("Revoked PersonalAccessToken/" + active.id() + " '" + active.name()
                + "'");
        assertThat(tokens.token(active.id()).isRevoked()).isTrue();
        assertThat(fixtures.ownerRepository().findUser(leaver.id()).orElseThrow().isBlocked()).isTrue();
        assertThat(unknown.err()).contains("offboard.groovy:3: No user 'nobody-at-all'.");
    }

    @Test
    void theCommandLineParsesRunnerOptionsAroundTheScript() {
        ScriptRun run = ScriptRun.parse(List.of("--dry-run", "--as", "ops", "x.groovy", "--users", "5", "--debug",
                "--", "--as", "y"));

        assertThat(run.script()).isEqualTo("x.groovy");
        assertThat(run.operator()).isEqualTo("ops");
        assertThat(run.dryRun()).isTrue();
        assertThat(run.debug()).isTrue();
        assertThat(run.args()).containsExactly("--users", "5", "--as", "y");
    }

}
