package dev.patrol.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.AUDIT_EVENTS;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.SourceType;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.settings.SettingsChange;
import dev.patrol.settings.SettingsService;
import dev.patrol.shared.Actor;
import dev.patrol.shared.ErrorCode;
import dev.patrol.shared.PatrolException;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.SqlRecorder;
import dev.patrol.support.TestConfig;

@PatrolTest
class TokenLifecycleTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 10);

    @Autowired TokenService tokens;
    @Autowired TokenAccessPolicy policy;
    @Autowired OwnerService owners;
    @Autowired SettingsService settings;
    @Autowired Fixtures fixtures;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    @BeforeEach
    void reset() {
        clock.set(TestConfig.START);
        settings.update(Actor.system(), new SettingsChange(365, true, true));
    }

    // creating

    @Test
    void aPersonalAccessTokenIsShownOnceAndStoredAsADigest() {
        User user = fixtures.human();
        IssuedToken issued = fixtures.pat(user, "api", "read_user");

        assertThat(issued.secret()).startsWith("glpat-");
        assertThat(issued.token().scopes()).containsExactly(Scope.API, Scope.READ_USER);
        assertThat(issued.token().displayPrefix()).isEqualTo(issued.secret().substring(0, 10));
        byte[] stored = dsl.select(ACCESS_TOKENS.DIGEST).from(ACCESS_TOKENS)
                .where(ACCESS_TOKENS.ID.eq(issued.token().id())).fetchSingle(ACCESS_TOKENS.DIGEST);
        assertThat(stored).isEqualTo(TokenSecrets.digest(issued.secret()));
        assertThat(issued.toString()).doesNotContain(issued.secret());
    }

    @Test
    void withoutAnExpiryTheDefaultAppliesWhenExpirationIsRequired() {
        User user = fixtures.human();
        assertThat(fixtures.pat(user, "api").token().expiresAt()).isEqualTo(TODAY.plusDays(365));

        settings.update(Actor.system(), new SettingsChange(30, null, null));
        assertThat(fixtures.pat(user, "api").token().expiresAt()).isEqualTo(TODAY.plusDays(30));

        settings.update(Actor.system(), new SettingsChange(null, false, null));
        assertThat(fixtures.pat(user, "api").token().expiresAt()).isNull();
    }

    @Test
    void invalidRequestsAreRefusedAndChangeNothing() {
        User user = fixtures.human();
        long before = dsl.fetchCount(ACCESS_TOKENS);
        long auditBefore = dsl.fetchCount(AUDIT_EVENTS);
        Actor self = fixtures.actor(user);

        assertBadInput(() -> tokens.issue(self, NewToken.personal(user.id(), " ", List.of("api"), null)),
                "Name can't be blank");
        assertBadInput(() -> tokens.issue(self, NewToken.personal(user.id(), "x".repeat(256), List.of("api"), null)),
                "too long");
        assertBadInput(() -> tokens.issue(self, NewToken.personal(user.id(), "n", List.of(), null)),
                "Scopes can't be blank");
        assertBadInput(() -> tokens.issue(self, NewToken.personal(user.id(), "n", List.of("root_everything"), null)),
                "Unknown scope 'root_everything'");
        assertBadInput(() -> tokens.issue(self, NewToken.personal(user.id(), "n", List.of("read_package_registry"), null)),
                "not allowed for a personal access token");
        assertBadInput(() -> tokens.issue(self, NewToken.personal(user.id(), "n", List.of("sudo"), null)),
                "needs an administrator");
        assertBadInput(() -> tokens.issue(self, NewToken.personal(user.id(), "n", List.of("api"), TODAY)),
                "must be after today");
        assertBadInput(() -> tokens.issue(self, NewToken.personal(user.id(), "n", List.of("api"), TODAY.minusDays(3))),
                "must be after today");
        assertBadInput(() -> tokens.issue(self, NewToken.personal(user.id(), "n", List.of("api"), TODAY.plusDays(366))),
                "no more than 365 days");

        assertThat(dsl.fetchCount(ACCESS_TOKENS)).isEqualTo(before);
        assertThat(dsl.fetchCount(AUDIT_EVENTS)).isEqualTo(auditBefore);
    }

    @Test
    void usersCreateTokensOnlyForThemselvesAndOnlyAdminsImpersonate() {
        User alice = fixtures.human();
        User bob = fixtures.human();
        User admin = fixtures.admin();

        assertCode(() -> tokens.issue(fixtures.actor(alice), NewToken.personal(bob.id(), "n", List.of("api"), null)),
                ErrorCode.FORBIDDEN);
        NewToken impersonation = new NewToken(TokenType.IMPERSONATION, "imp", null, List.of("api"), null, bob.id(),
                null, null, null, null, null);
        assertCode(() -> tokens.issue(fixtures.actor(alice), impersonation), ErrorCode.FORBIDDEN);
        assertThat(tokens.issue(fixtures.actor(admin), impersonation).token().type()).isEqualTo(TokenType.IMPERSONATION);

        settings.update(Actor.system(), new SettingsChange(null, null, false));
        assertCode(() -> tokens.issue(fixtures.actor(admin), impersonation), ErrorCode.FORBIDDEN);
    }

    @Test
    void aProjectAccessTokenCreatesItsBotAndMembershipAndCannotOutrankItsCreator() {
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        User maintainer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        User developer = fixtures.human();
        fixtures.member(developer, project, AccessLevel.DEVELOPER);

        IssuedToken issued = tokens.issue(fixtures.actor(maintainer), new NewToken(TokenType.PROJECT, "ci", null,
                List.of("read_api"), null, null, project.id(), null, null, 30, null));
        User bot = owners.user(issued.token().userId());
        assertThat(bot.kind()).isEqualTo(UserKind.PROJECT_BOT);
        assertThat(fixtures.ownerRepository().findMember(SourceType.PROJECT, project.id(), bot.id()))
                .get().extracting(m -> m.accessLevel()).isEqualTo(AccessLevel.DEVELOPER);
        assertThat(issued.token().rootGroupId()).isEqualTo(group.id());

        assertCode(() -> tokens.issue(fixtures.actor(maintainer), new NewToken(TokenType.PROJECT, "ci", null,
                List.of("api"), null, null, project.id(), null, null, 50, null)), ErrorCode.FORBIDDEN);
        assertCode(() -> tokens.issue(fixtures.actor(developer), new NewToken(TokenType.PROJECT, "ci", null,
                List.of("api"), null, null, project.id(), null, null, 10, null)), ErrorCode.FORBIDDEN);
    }

    @Test
    void groupOwnersInheritedFromAParentManageSubgroupTokens() {
        Group parent = fixtures.group();
        Group child = fixtures.subgroup(parent);
        User owner = fixtures.human();
        fixtures.member(owner, parent, AccessLevel.OWNER);

        IssuedToken issued = tokens.issue(fixtures.actor(owner), new NewToken(TokenType.GROUP, "g", null,
                List.of("read_registry"), null, null, null, child.id(), null, null, null));
        assertThat(issued.token().accessLevel()).isEqualTo(40);
        assertThat(issued.token().rootGroupId()).isEqualTo(parent.id());
        assertThat(policy.canManage(fixtures.actor(owner), issued.token())).isTrue();
        assertThat(policy.canManage(fixtures.actor(fixtures.human()), issued.token())).isFalse();
    }

    @Test
    void everyTokenTypeCanBeIssuedAndAuthenticated() {
        User admin = fixtures.admin();
        Actor actor = fixtures.actor(admin);
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        for (TokenType type : TokenType.values()) {
            NewToken request = switch (type.holder()) {
                case USER -> new NewToken(type, "t", null, scopes(type), null, admin.id(), null, null, null, null, null);
                case PROJECT_BOT, PROJECT -> new NewToken(type, "t", null, scopes(type), null, null, project.id(), null,
                        null, null, null);
                case GROUP_BOT, TOP_LEVEL_GROUP -> new NewToken(type, "t", null, scopes(type), null, null, null,
                        group.id(), null, null, null);
                case PROJECT_OR_GROUP -> new NewToken(type, "t", null, scopes(type), null, null, project.id(), null,
                        null, null, null);
                case RESOURCE -> new NewToken(type, "t", null, scopes(type), null, null, null, null,
                        owners.createResource(actor, type.resourceKind(), "r", project.id(), null, null).id(), null,
                        null);
            };
            IssuedToken issued = tokens.issue(actor, request);
            assertThat(issued.secret()).startsWith(type.prefix());
            Authentication auth = tokens.authenticate(issued.secret());
            assertThat(auth.succeeded()).as(type.name()).isTrue();
            assertThat(auth.token().type()).isEqualTo(type);
        }
    }

    @Test
    void oneTokenPerHolderTypesResetThePreviousToken() {
        User user = fixtures.human();
        NewToken feed = new NewToken(TokenType.FEED, null, null, null, null, user.id(), null, null, null, null, null);
        IssuedToken first = tokens.issue(fixtures.actor(user), feed);
        IssuedToken second = tokens.issue(fixtures.actor(user), feed);
        assertThat(first.token().name()).isEqualTo("Feed token");
        assertThat(first.token().expiresAt()).isNull();
        assertThat(tokens.authenticate(first.secret()).failure()).isEqualTo(AuthFailure.REVOKED);
        assertThat(tokens.authenticate(second.secret()).succeeded()).isTrue();
    }

    @Test
    void aCiJobTokenWorksOnlyWhileItsJobRuns() {
        User admin = fixtures.admin();
        Project project = fixtures.project(fixtures.group());
        long job = owners.createResource(fixtures.actor(admin), ResourceKind.CI_JOB, "build", project.id(), null,
                admin.id()).id();
        IssuedToken jobToken = tokens.issue(fixtures.actor(admin), new NewToken(TokenType.CI_JOB, "job", null, null,
                null, null, null, null, job, null, null));
        assertThat(tokens.authenticate(jobToken.secret()).succeeded()).isTrue();

        assertThat(tokens.finishCiJob(fixtures.actor(admin), job)).isEqualTo(1);

        assertThat(tokens.authenticate(jobToken.secret()).failure()).isEqualTo(AuthFailure.REVOKED);
        assertBadInput(() -> tokens.issue(fixtures.actor(admin), new NewToken(TokenType.CI_JOB, "job", null, null, null,
                null, null, null, job, null, null)), "is not running");
    }

    // authenticating

    @Test
    void malformedAndUnknownValuesAreRefused() {
        assertThat(tokens.authenticate("glpat-nope").failure()).isEqualTo(AuthFailure.MALFORMED);
        assertThat(tokens.authenticate(TokenSecrets.generate(TokenType.PERSONAL)).failure())
                .isEqualTo(AuthFailure.UNKNOWN);
    }

    @Test
    void aTokenExpiresAtMidnightUtcOnItsExpiryDate() {
        User user = fixtures.human();
        IssuedToken issued = fixtures.pat(user, TODAY.plusDays(1), "api");

        clock.set(Instant.parse("2026-03-10T23:59:59.999Z"));
        assertThat(tokens.authenticate(issued.secret()).succeeded()).isTrue();
        clock.set(Instant.parse("2026-03-11T00:00:00Z"));
        Authentication expired = tokens.authenticate(issued.secret());
        assertThat(expired.failure()).isEqualTo(AuthFailure.EXPIRED);
        assertThat(expired.token().reference()).isEqualTo("PersonalAccessToken/" + issued.token().id());
    }

    @Test
    void blockingAUserSuspendsTheirTokensAndUnblockingRestoresThem() {
        User user = fixtures.human();
        IssuedToken active = fixtures.pat(user, "api");
        IssuedToken revoked = fixtures.pat(user, "api");
        tokens.revoke(Actor.system(), revoked.token().id());
        Actor admin = fixtures.actor(fixtures.admin());

        owners.block(admin, user.id());
        assertThat(tokens.authenticate(active.secret()).failure()).isEqualTo(AuthFailure.USER_BLOCKED);
        assertCode(() -> owners.block(admin, user.id()), ErrorCode.CONFLICT);

        owners.unblock(admin, user.id());
        assertThat(tokens.authenticate(active.secret()).succeeded()).isTrue();
        assertThat(tokens.authenticate(revoked.secret()).failure()).isEqualTo(AuthFailure.REVOKED);
    }

    @Test
    void disablingImpersonationStopsExistingImpersonationTokens() {
        User admin = fixtures.admin();
        User user = fixtures.human();
        IssuedToken issued = tokens.issue(fixtures.actor(admin), new NewToken(TokenType.IMPERSONATION, "imp", null,
                List.of("read_api"), null, user.id(), null, null, null, null, null));
        settings.update(Actor.system(), new SettingsChange(null, null, false));
        assertThat(tokens.authenticate(issued.secret()).failure()).isEqualTo(AuthFailure.IMPERSONATION_DISABLED);
    }

    // revoking

    @Test
    void revokingIsIdempotentAndAuditedOnce() {
        User user = fixtures.human();
        IssuedToken issued = fixtures.pat(user, "api");
        Actor self = fixtures.actor(user);

        RevokeResult first = tokens.revoke(self, issued.token().id());
        RevokeResult second = tokens.revoke(self, issued.token().id());
        assertThat(first.changed()).isTrue();
        assertThat(second.changed()).isFalse();
        assertThat(second.message()).contains("already revoked");
        assertThat(auditCount("token_revoked", issued.token().id())).isEqualTo(1);
        assertThat(dsl.select(AUDIT_EVENTS.ACTOR_NAME, AUDIT_EVENTS.SOURCE).from(AUDIT_EVENTS)
                .where(AUDIT_EVENTS.ACTION.eq("token_revoked"), AUDIT_EVENTS.TARGET_ID.eq(issued.token().id()))
                .fetchSingle().into(String[].class)).containsExactly(user.username(), "api");
    }

    @Test
    void othersCannotRevokeAUsersToken() {
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");
        assertCode(() -> tokens.revoke(fixtures.actor(fixtures.human()), issued.token().id()), ErrorCode.FORBIDDEN);
        assertCode(() -> tokens.revoke(Actor.system(), 999_999_999L), ErrorCode.NOT_FOUND);
    }

    // rotating

    @Test
    void rotationRevokesTheOldTokenAndIssuesALinkedSuccessorValidForAWeek() {
        User user = fixtures.human();
        IssuedToken old = fixtures.pat(user, "api", "read_user");
        IssuedToken next = tokens.rotate(fixtures.actor(user), old.token().id(), null);

        assertThat(next.token().name()).isEqualTo(old.token().name());
        assertThat(next.token().scopes()).isEqualTo(old.token().scopes());
        assertThat(next.token().expiresAt()).isEqualTo(TODAY.plusDays(7));
        assertThat(next.token().previousTokenId()).isEqualTo(old.token().id());
        assertThat(next.token().familyId()).isEqualTo(old.token().id());
        assertThat(tokens.authenticate(old.secret()).failure()).isEqualTo(AuthFailure.REVOKED);
        assertThat(tokens.authenticate(next.secret()).succeeded()).isTrue();
        assertThat(tokens.rotate(fixtures.actor(user), next.token().id(), TODAY.plusDays(90)).token().expiresAt())
                .isEqualTo(TODAY.plusDays(90));
    }

    @Test
    void rotatingARevokedTokenRevokesItsWholeFamily() {
        User user = fixtures.human();
        Actor self = fixtures.actor(user);
        IssuedToken first = fixtures.pat(user, "api");
        IssuedToken second = tokens.rotate(self, first.token().id(), null);
        IssuedToken third = tokens.rotate(self, second.token().id(), null);
        clock.advance(java.time.Duration.ofMinutes(1));

        assertThatThrownBy(() -> tokens.rotate(self, first.token().id(), null))
                .isInstanceOf(TokenReuseDetectedException.class)
                .hasMessageContaining("1 active token(s) of its family have been revoked");
        assertThat(tokens.authenticate(third.secret()).failure()).isEqualTo(AuthFailure.REVOKED);
        assertThat(tokens.token(third.token().id()).revokeReason()).isEqualTo("reuse_detected");
        assertThat(auditCount("token_reuse_detected", first.token().id())).isEqualTo(1);
    }

    @Test
    void ofTwoConcurrentRotationsExactlyOneWins() throws Exception {
        User user = fixtures.human();
        Actor self = fixtures.actor(user);
        for (int round = 0; round < 5; round++) {
            IssuedToken token = fixtures.pat(user, "api");
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<IssuedToken>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Callable<IssuedToken> rotate = () -> {
                    start.await();
                    return tokens.rotate(self, token.token().id(), null);
                };
                results.add(pool.submit(rotate));
            }
            start.countDown();
            int won = 0;
            int lost = 0;
            for (Future<IssuedToken> result : results) {
                try {
                    result.get();
                    won++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(PatrolException.class);
                    assertThat(((PatrolException) e.getCause()).code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getCause()).isNotInstanceOf(TokenReuseDetectedException.class);
                    lost++;
                }
            }
            pool.shutdown();
            assertThat(won).isEqualTo(1);
            assertThat(lost).isEqualTo(1);
            assertThat(dsl.fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.FAMILY_ID.eq(token.token().id())
                    .and(ACCESS_TOKENS.REVOKED_AT.isNull()))).isEqualTo(1);
        }
    }

    @Test
    void aSecondRotationMomentsAfterTheFirstIsAConflictNotReuse() {
        User user = fixtures.human();
        Actor self = fixtures.actor(user);
        IssuedToken first = fixtures.pat(user, "api");
        IssuedToken winner = tokens.rotate(self, first.token().id(), null);
        clock.advance(java.time.Duration.ofSeconds(2));

        assertCode(() -> tokens.rotate(self, first.token().id(), null), ErrorCode.CONFLICT);
        assertThat(tokens.authenticate(winner.secret()).succeeded()).isTrue();
    }

    @Test
    void typesWithoutRenewalCannotBeRotatedAndExpiredTokensCannotBeRotated() {
        User admin = fixtures.admin();
        Project project = fixtures.project(fixtures.group());
        IssuedToken deploy = tokens.issue(fixtures.actor(admin), new NewToken(TokenType.DEPLOY, "d", null,
                List.of("read_repository"), null, null, project.id(), null, null, null, null));
        assertThat(deploy.token().username()).isEqualTo("gitlab+deploy-token-" + deploy.token().id());
        assertBadInput(() -> tokens.rotate(fixtures.actor(admin), deploy.token().id(), null), "cannot be rotated");

        IssuedToken pat = fixtures.pat(admin, TODAY.plusDays(1), "api");
        clock.set(Instant.parse("2026-03-11T00:00:00Z"));
        assertBadInput(() -> tokens.rotate(fixtures.actor(admin), pat.token().id(), null), "has expired");
    }

    // extending

    @Test
    void extendingOneTokenKeepsThePolicy() {
        User user = fixtures.human();
        IssuedToken issued = fixtures.pat(user, TODAY.plusDays(10), "api");
        assertThat(tokens.extendExpiry(fixtures.actor(user), issued.token().id(), TODAY.plusDays(100)).expiresAt())
                .isEqualTo(TODAY.plusDays(100));
        assertBadInput(() -> tokens.extendExpiry(fixtures.actor(user), issued.token().id(), TODAY.plusDays(500)),
                "no more than 365 days");
    }

    @Test
    void bulkExtensionMovesOnlyUnrevokedNonImpersonationTokensOfThatDate() {
        LocalDate date = LocalDate.of(2026, 7, 1);
        LocalDate later = LocalDate.of(2026, 9, 1);
        User admin = fixtures.admin();
        User user = fixtures.human();
        IssuedToken a = fixtures.pat(user, date, "api");
        IssuedToken b = fixtures.pat(user, date, "read_api");
        IssuedToken revoked = fixtures.pat(user, date, "api");
        tokens.revoke(Actor.system(), revoked.token().id());
        IssuedToken otherDate = fixtures.pat(user, date.plusDays(1), "api");
        IssuedToken impersonation = tokens.issue(fixtures.actor(admin), new NewToken(TokenType.IMPERSONATION, "imp",
                null, List.of("api"), date, user.id(), null, null, null, null, null));

        int updated = tokens.extendExpiringOn(fixtures.actor(admin), date, later);

        assertThat(updated).isGreaterThanOrEqualTo(2);
        assertThat(tokens.token(a.token().id()).expiresAt()).isEqualTo(later);
        assertThat(tokens.token(b.token().id()).expiresAt()).isEqualTo(later);
        assertThat(tokens.token(revoked.token().id()).expiresAt()).isEqualTo(date);
        assertThat(tokens.token(otherDate.token().id()).expiresAt()).isEqualTo(date.plusDays(1));
        assertThat(tokens.token(impersonation.token().id()).expiresAt()).isEqualTo(date);
        assertCode(() -> tokens.extendExpiringOn(fixtures.actor(user), date, later), ErrorCode.FORBIDDEN);
    }

    @Test
    void bulkExtensionIsOneUpdateAndOneAuditEvent() {
        LocalDate date = LocalDate.of(2026, 7, 2);
        LocalDate later = LocalDate.of(2026, 9, 2);
        User admin = fixtures.admin();
        User user = fixtures.human();
        IssuedToken first = fixtures.pat(user, date, "api");
        IssuedToken second = fixtures.pat(user, date, "read_api");

        int[] updated = new int[1];
        List<String> statements = SqlRecorder.during(dsl,
                () -> updated[0] = tokens.extendExpiringOn(fixtures.actor(admin), date, later)).stream()
                .filter(sql -> !sql.contains("last_used")).toList();

        assertThat(updated[0]).isGreaterThanOrEqualTo(2);
        assertThat(tokens.token(second.token().id()).expiresAt()).isEqualTo(later);
        assertThat(tokens.token(first.token().id()).expiresAt()).isEqualTo(later);
        // the UPDATE and the audit event; before issue 17's second round: min/max ids, an UPDATE per id range, audit
        assertThat(statements).as(String.join("\n", statements)).hasSizeLessThanOrEqualTo(2);
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("tokens_bulk_extended")
                .and(AUDIT_EVENTS.DETAILS.contains("count=" + updated[0])))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void settingsAreValidatedAndAudited() {
        assertBadInput(() -> settings.update(Actor.system(), new SettingsChange(401, null, null)), "between 1 and 400");
        assertBadInput(() -> settings.update(Actor.system(), new SettingsChange(0, null, null)), "between 1 and 400");
        assertCode(() -> settings.update(fixtures.actor(fixtures.human()), new SettingsChange(10, null, null)),
                ErrorCode.FORBIDDEN);
        settings.update(Actor.system(), new SettingsChange(400, null, null));
        assertThat(settings.current().maxLifetimeDays()).isEqualTo(400);
        assertThat(dsl.fetchExists(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("settings_updated")
                .and(AUDIT_EVENTS.DETAILS.contains("max_lifetime_days=365 -> 400")))).isTrue();
    }

    private static List<String> scopes(TokenType type) {
        return type.hasScopes() ? List.of(type.allowedScopesOrdered().getFirst().id()) : null;
    }

    private int auditCount(String action, long targetId) {
        return dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq(action).and(AUDIT_EVENTS.TARGET_ID.eq(targetId)));
    }

    private static void assertBadInput(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(PatrolException.class).hasMessageContaining(message)
                .extracting(e -> ((PatrolException) e).code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(PatrolException.class)
                .extracting(e -> ((PatrolException) e).code()).isEqualTo(code);
    }
}
