package dev.patrol.console;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.AUDIT_EVENTS;
import static patrol.jooq.Tables.WEBHOOKS;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.InteractiveShellRunner;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.DefaultCommandParser;

import dev.patrol.console.ConsoleMode.ConsoleSessionHolder;
import dev.patrol.expiry.NotificationSettingsService;
import dev.patrol.expiry.WebhookService;
import dev.patrol.expiry.WebhookService.NewWebhook;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.owner.UserState;
import dev.patrol.secrets.SecretCipher.Sealed;
import dev.patrol.settings.SettingsChange;
import dev.patrol.settings.SettingsService;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.support.TestSecrets;
import dev.patrol.token.AuthFailure;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenService;

/**
 * The console as an operator drives it: typed lines go through Spring Shell's own parser and command executor
 * into the console's commands and Groovy session; the test reads the screen and the database afterwards.
 */
@PatrolTest
class ConsoleShellTest {

    @Autowired ConsoleServices services;
    @Autowired ScriptRunner runner;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired SettingsService settings;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;
    @Autowired WebhookService webhooks;
    @Autowired NotificationSettingsService notificationSettings;

    User admin;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
        settings.update(Actor.system(), new SettingsChange(365, true, true));
        admin = fixtures.admin();
    }

    /** Types the lines into a console session and returns the screen. */
    String type(boolean sandbox, String... lines) throws Exception {
        StringWriter screen = new StringWriter();
        PrintWriter out = new PrintWriter(screen, true);
        ConsoleSession session = new ConsoleSession(services, runner, admin, sandbox, out);
        ConsoleSessionHolder holder = new ConsoleSessionHolder();
        holder.set(session);
        ConsoleCommands commands = new ConsoleCommands();
        CommandRegistry registry = new CommandRegistry();
        List.of(commands.tokenLookupCommand(holder), commands.tokenRevokeCommand(holder),
                commands.tokenRotateCommand(holder), commands.userBlockCommand(holder), commands.scriptsCommand(holder),
                commands.runCommand(holder), commands.groovyCommand(holder),
                commands.secretsReencryptCommand(holder)).forEach(registry::registerCommand);
        Deque<String> input = new ArrayDeque<>(List.of(lines));
        input.add("exit");
        InputReader keyboard = new InputReader() {
            @Override
            public String readInput(String prompt) {
                String line = input.poll();
                out.println(prompt + line);
                return line;
            }
        };
        InteractiveShellRunner shell = new InteractiveShellRunner(() -> keyboard.readInput("patrol> "),
                new DefaultCommandParser(registry), registry) {
            @Override
            public void print(String message) {
                out.println(message);
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public PrintWriter getWriter() {
                return out;
            }

            @Override
            public InputReader getReader() {
                return keyboard;
            }
        };
        session.begin();
        try {
            shell.run(new String[0]);
        } finally {
            session.end();
        }
        return screen.toString();
    }

    @Test
    void lookUpRotateAndRevokeTokensByCommand() throws Exception {
        User owner = fixtures.human();
        IssuedToken issued = fixtures.pat(owner, "api");
        long id = issued.token().id();

        String screen = type(false, "token-lookup " + issued.secret(), "token-rotate " + id + " 2026-04-01");

        assertThat(screen).contains("PersonalAccessToken/" + id + " '" + issued.token().name() + "'")
                .contains("owner=" + owner.username())
                .contains("Rotated PersonalAccessToken/" + id + " into PersonalAccessToken/")
                .contains("expires 2026-04-01");
        String newValue = screen.lines().filter(l -> l.contains("New value (shown once): ")).findFirst().orElseThrow()
                .replaceAll(".*New value \\(shown once\\): ", "");
        assertThat(tokens.authenticate(newValue).failure()).isNull();
        assertThat(tokens.authenticate(issued.secret()).failure()).isEqualTo(AuthFailure.REVOKED);
        assertThat(screen.lines().filter(l -> !l.startsWith("patrol> "))).noneMatch(l -> l.contains(issued.secret()));
        var event = dsl.selectFrom(AUDIT_EVENTS).where(AUDIT_EVENTS.ACTION.eq("token_rotated"))
                .and(AUDIT_EVENTS.TARGET_ID.eq(id)).fetchSingle();
        assertThat(event.getActorName()).isEqualTo(admin.username());
        assertThat(event.getSource()).isEqualTo("console");

        String revoke = type(false, "token-revoke " + newValue, "token-revoke " + newValue, "token-revoke 0");
        assertThat(revoke).contains("Revoked PersonalAccessToken/").contains("was already revoked")
                .contains("ERROR No token 0.");
        assertThat(tokens.authenticate(newValue).failure()).isEqualTo(AuthFailure.REVOKED);
    }

    @Test
    void theGroovySessionKeepsVariablesTakesMultiLineInputAndSurvivesErrors() throws Exception {
        User owner = fixtures.human();
        fixtures.pat(owner, "read_api");
        fixtures.pat(owner, "api");

        String screen = type(false, "groovy",
                "def u = Users.findByUsername('" + owner.username() + "')",
                "u.personalAccessTokens.count()",
                "names = []",
                "u.personalAccessTokens.each { t ->",
                "  names << t.scopes.first()",
                "}",
                "names.sort()",
                "nosuchThing.call()",
                "u.username",
                "exit",
                "scripts");

        assertThat(screen).contains("=> 2").contains("=> ['api', 'read_api']").contains("   ...>   names << ")
                .contains("ERROR No such property: nosuchThing")
                .contains("=> '" + owner.username() + "'")
                .contains("expired_tokens.groovy");
    }

    @Test
    void aFailingLineChangesNothing() throws Exception {
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");
        long id = issued.token().id();

        String screen = type(false, "groovy", "AccessTokens.find(" + id + "L).revoke(); fail('changed my mind')");

        assertThat(screen).contains("ERROR changed my mind");
        assertThat(tokens.token(id).isRevoked()).isFalse();
    }

    @Test
    void aSandboxSeesItsChangesAndRollsThemAllBackOnExit() throws Exception {
        User victim = fixtures.human();
        IssuedToken issued = fixtures.pat(victim, "api");
        long id = issued.token().id();

        IssuedToken other = fixtures.pat(fixtures.human(), "read_api");

        String screen = type(true, "token-revoke " + id, "user-block " + victim.username(),
                "groovy", "AccessTokens.find(" + id + "L).revoked", "Users.findByUsername('" + victim.username()
                        + "').blocked", "exit",
                "run revoke_token.groovy " + other.secret());

        assertThat(screen).contains("Revoked PersonalAccessToken/" + id).contains("Blocked User " + victim.id())
                .contains("=> true").contains("Revoked personal token ID: " + other.token().id())
                .contains("Sandbox closed: every change was rolled back.");
        assertThat(tokens.token(id).isRevoked()).isFalse();
        assertThat(tokens.token(other.token().id()).isRevoked()).isFalse();
        assertThat(fixtures.ownerRepository().findUser(victim.id()).orElseThrow().state()).isEqualTo(UserState.ACTIVE);
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("token_revoked").and(AUDIT_EVENTS.TARGET_ID
                .eq(id)))).isZero();
    }

    @Test
    void afterAKeyRotationSecretsReencryptSealsEverySecretUnderTheActiveKey() throws Exception {
        notificationSettings.setAllowLocalWebhooks(Actor.system(), true);
        Project project = fixtures.project(fixtures.group());
        Actor operator = fixtures.actor(admin);
        long rotated = webhooks.create(operator, new NewWebhook(project.fullPath(), null, "http://127.0.0.1:9/a",
                "sealed-with-the-old-key", true, false)).id();
        long legacy = webhooks.create(operator, new NewWebhook(project.fullPath(), null, "http://127.0.0.1:9/b",
                "x", true, false)).id();
        Sealed old = TestSecrets.oldKeyCipher().seal("sealed-with-the-old-key", "webhooks.secret_token/" + rotated);
        dsl.update(WEBHOOKS).set(WEBHOOKS.SECRET_TOKEN, old.value()).set(WEBHOOKS.SECRET_KEY_ID, old.keyId())
                .where(WEBHOOKS.ID.eq(rotated)).execute();
        dsl.update(WEBHOOKS).set(WEBHOOKS.SECRET_TOKEN, "stored-in-plain-text").setNull(WEBHOOKS.SECRET_KEY_ID)
                .where(WEBHOOKS.ID.eq(legacy)).execute();
        notificationSettings.setAllowLocalWebhooks(Actor.system(), false);

        String screen = type(false, "secrets-reencrypt");

        assertThat(screen).contains("Re-encrypted 2 webhook secret(s) under key '" + TestSecrets.ACTIVE_KEY_ID + "'.");
        assertThat(opened(rotated)).isEqualTo("sealed-with-the-old-key");
        assertThat(opened(legacy)).isEqualTo("stored-in-plain-text");
        var event = dsl.selectFrom(AUDIT_EVENTS).where(AUDIT_EVENTS.ACTION.eq("webhook_secrets_reencrypted"))
                .orderBy(AUDIT_EVENTS.ID.desc()).limit(1).fetchSingle();
        assertThat(event.getActorName()).isEqualTo(admin.username());
        assertThat(event.getSource()).isEqualTo("console");
        assertThat(event.getDetails()).contains("webhooks=2").contains("key_id=" + TestSecrets.ACTIVE_KEY_ID);
        assertThat(type(false, "secrets-reencrypt")).contains("Re-encrypted 0 webhook secret(s)");
    }

    /** A webhook's secret, opened as the delivery would, after checking it is sealed under the active key. */
    private String opened(long webhookId) {
        var row = dsl.selectFrom(WEBHOOKS).where(WEBHOOKS.ID.eq(webhookId)).fetchSingle();
        assertThat(row.getSecretKeyId()).isEqualTo(TestSecrets.ACTIVE_KEY_ID);
        return TestSecrets.bothKeysCipher().open(new Sealed(row.getSecretKeyId(), row.getSecretToken()),
                "webhooks.secret_token/" + webhookId);
    }

    @Test
    void commandsExplainTheirUsage() throws Exception {
        String screen = type(false, "token-revoke", "user-block " + Fixtures.unique("ghost"));

        assertThat(screen).contains("Usage: Revokes a token by id or value").contains("ERROR No user 'ghost-");
    }
}
