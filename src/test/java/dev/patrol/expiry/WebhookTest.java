package dev.patrol.expiry;

import static dev.patrol.expiry.ExpiryFixtures.setDay;
import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.AUDIT_EVENTS;
import static patrol.jooq.Tables.WEBHOOKS;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.sun.net.httpserver.HttpServer;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.secrets.SecretCipher;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestSecrets;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenService;
import patrol.jooq.DefaultSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@PatrolTest
class WebhookTest {

    /** One request the in-process receiver got. */
    record Received(String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired ExpiryNotifier notifier;
    @Autowired OutboxSender sender;
    @Autowired NotificationSettingsService settings;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;
    @Autowired JsonMapper json;
    @Autowired WebhookService webhookService;
    @Autowired WebhookRepository webhookRepository;

    HttpServer receiver;
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Paths whose next call is answered with a 500. */
    final ConcurrentLinkedQueue<String> failNext = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startReceiver() throws IOException {
        settings.setAllowLocalWebhooks(Actor.system(), false);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                    body));
            boolean fail = failNext.remove(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(fail ? 500 : 200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
        settings.setAllowLocalWebhooks(Actor.system(), false);
    }

    @Test
    void localAndMalformedUrlsAreRefusedUntilAnAdminAllowsLocalTargets() {
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        User maintainer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        HttpGraphQlTester api = tester(maintainer);

        for (String url : List.of("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "http://localhost/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest", "http://[::1]/x",
                "http://192.168.0.10/hook")) {
            create(api, project.fullPath(), url).path("webhookCreate.errors[0]").entity(String.class)
                    .satisfies(e -> assertThat(e).contains("local network"));
        }
        create(api, project.fullPath(), "ftp://example.com/hook").path("webhookCreate.errors[0]")
                .entity(String.class).satisfies(e -> assertThat(e).contains("http or https"));
        create(api, project.fullPath(), "http://93.184.216.34/hook").path("webhookCreate.webhook.url")
                .entity(String.class).isEqualTo("http://93.184.216.34/hook");

        User admin = fixtures.admin();
        tester(maintainer).document("""
                mutation { notificationSettingsUpdate(input: {allowLocalWebhooks: true}) { errors } }""")
                .execute().errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
        tester(admin).document("""
                mutation { notificationSettingsUpdate(input: {allowLocalWebhooks: true}) {
                  notificationSettings { allowLocalWebhooks } errors } }""")
                .execute().path("notificationSettingsUpdate.notificationSettings.allowLocalWebhooks")
                .entity(Boolean.class).isEqualTo(true);
        create(api, project.fullPath(), receiverUrl()).path("webhookCreate.errors").entityList(String.class)
                .hasSize(0);
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("webhook_created")
                .and(AUDIT_EVENTS.TARGET_ID.eq(project.id())))).isEqualTo(2);
    }

    @Test
    void onlyProjectMaintainersAndGroupOwnersManageWebhooks() {
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        User developer = fixtures.human();
        User groupMaintainer = fixtures.human();
        fixtures.member(developer, project, AccessLevel.DEVELOPER);
        fixtures.member(groupMaintainer, group, AccessLevel.MAINTAINER);

        create(tester(developer), project.fullPath(), "http://93.184.216.34/hook").errors()
                .satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
        tester(groupMaintainer).document("""
                mutation($path: String) { webhookCreate(input: {groupPath: $path, url: "http://93.184.216.34/h"}) {
                  webhook { id } errors } }""").variable("path", group.fullPath()).execute().errors()
                .satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
        // a group Maintainer inherits Maintainer on the project, which is enough for project webhooks
        String id = create(tester(groupMaintainer), project.fullPath(), "http://93.184.216.34/hook")
                .path("webhookCreate.webhook.id").entity(String.class).get();
        tester(groupMaintainer).document("query($path: String) { webhooks(projectPath: $path) { id url } }")
                .variable("path", project.fullPath()).execute()
                .path("webhooks[*].id").entityList(String.class).containsExactly(id);
        tester(developer).document("mutation($id: ID!) { webhookDelete(input: {id: $id}) { errors } }")
                .variable("id", id).execute().errors().satisfy(errors -> assertThat(errors).hasSize(1));
        tester(groupMaintainer).document("mutation($id: ID!) { webhookDelete(input: {id: $id}) { webhook { id } errors } }")
                .variable("id", id).execute().path("webhookDelete.webhook.id").entity(String.class).isEqualTo(id);
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("webhook_deleted")
                .and(AUDIT_EVENTS.TARGET_ID.eq(project.id())))).isOne();
    }

    @Test
    void expiringTokensCallTheirWebhooksOnceWithGitLabsPayloadAndRetryFailures() {
        LocalDate today = LocalDate.of(2032, 1, 10);
        setDay(clock, today, 1);
        settings.setAllowLocalWebhooks(Actor.system(), true);
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        User maintainer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        User owner = fixtures.human();
        fixtures.member(owner, group, AccessLevel.OWNER);
        create(tester(maintainer), project.fullPath(), receiverUrl() + "/project", "s3cret", false)
                .path("webhookCreate.errors").entityList(String.class).hasSize(0);
        String groupHook = tester(owner).document("""
                mutation($path: String, $url: String!) { webhookCreate(input: {groupPath: $path, url: $url,
                  secretToken: "g-secret", extendedExpiryThresholds: true}) { webhook { id } errors } }""")
                .variable("path", group.fullPath()).variable("url", receiverUrl() + "/group").execute()
                .path("webhookCreate.webhook.id").entity(String.class).get();

        IssuedToken projectIn7 = ExpiryFixtures.projectToken(tokens, project, today.plusDays(7));
        ExpiryFixtures.projectToken(tokens, project, today.plusDays(30));
        IssuedToken groupIn1 = ExpiryFixtures.groupToken(tokens, group, today.plusDays(1));
        IssuedToken groupIn60 = ExpiryFixtures.groupToken(tokens, group, today.plusDays(60));
        ExpiryFixtures.groupToken(tokens, group, today.plusDays(5));
        IssuedToken deployIn30 = ExpiryFixtures.deployToken(tokens, project, today.plusDays(30));
        failNext.add("/group");

        notifier.notifyExpiring(today);
        notifier.notifyExpiring(today);
        sender.deliverDue();

        List<Received> toProject = received.stream().filter(r -> r.path().equals("/project")).toList();
        List<Received> toGroup = received.stream().filter(r -> r.path().equals("/group")).toList();
        // project hook: the 7-day project token and the 30-day deploy token (not the 30-day project token)
        assertThat(toProject).hasSize(2);
        assertThat(toProject).allSatisfy(r -> {
            assertThat(r.header("X-Gitlab-Token")).isEqualTo("s3cret");
            assertThat(r.header("X-Gitlab-Event")).isEqualTo("Resource Access Token Hook");
            assertThat(r.header("Idempotency-Key")).startsWith("patrol-outbox-");
        });
        JsonNode first = json.readTree(toProject.stream()
                .filter(r -> r.body().contains(projectIn7.token().name())).findFirst().orElseThrow().body());
        assertThat(first.get("object_kind").asString()).isEqualTo("access_token");
        assertThat(first.get("event_name").asString()).isEqualTo("expiring_access_token");
        assertThat(first.get("project").get("id").asLong()).isEqualTo(project.id());
        assertThat(first.get("project").get("path_with_namespace").asString()).isEqualTo(project.fullPath());
        JsonNode attributes = first.get("object_attributes");
        assertThat(attributes.get("id").asLong()).isEqualTo(projectIn7.token().id());
        assertThat(attributes.get("user_id").asLong()).isEqualTo(projectIn7.token().userId());
        assertThat(attributes.get("name").asString()).isEqualTo(projectIn7.token().name());
        assertThat(attributes.get("expires_at").asString()).isEqualTo(today.plusDays(7).toString());
        assertThat(attributes.get("created_at").asString()).endsWith(" UTC");
        assertThat(toProject).anySatisfy(r -> assertThat(r.body()).contains(deployIn30.token().name()));

        // group hook (extended): the 1-day and 60-day group tokens; the first call got a 500
        assertThat(toGroup).allSatisfy(r -> assertThat(r.header("X-Gitlab-Token")).isEqualTo("g-secret"));
        assertThat(toGroup.stream().map(Received::body).distinct()).hasSize(2);
        assertThat(toGroup).anySatisfy(r -> assertThat(json.readTree(r.body()).get("group").get("full_path")
                .asString()).isEqualTo(group.fullPath()));
        int callsBeforeRetry = received.size();

        clock.advance(java.time.Duration.ofMinutes(1));
        sender.deliverDue();
        assertThat(received).hasSize(callsBeforeRetry + 1);
        List<Received> groupCalls = received.stream().filter(r -> r.path().equals("/group")).toList();
        assertThat(groupCalls).hasSize(3);
        assertThat(groupCalls.stream().map(Received::body)).anySatisfy(b -> assertThat(b)
                .contains(groupIn1.token().name())).anySatisfy(b -> assertThat(b).contains(groupIn60.token().name()));

        tester(owner).document("""
                query($id: ID!) { webhookDeliveries(webhookId: $id) { nodes { state attempts responseStatus
                  lastError kind } } }""").variable("id", groupHook).execute()
                .path("webhookDeliveries.nodes[*].state").entityList(String.class).containsExactly("SENT", "SENT")
                .path("webhookDeliveries.nodes[*].attempts").entityList(Integer.class)
                .satisfies(a -> assertThat(a).containsExactlyInAnyOrder(1, 2));
    }

    @Test
    void secretTokensAreEncryptedAtRestAndADatabaseDumpHoldsNone() {
        settings.setAllowLocalWebhooks(Actor.system(), true);
        Project project = fixtures.project(fixtures.group());
        User maintainer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        String secret = "dump-" + UUID.randomUUID();
        long id = Long.parseLong(create(tester(maintainer), project.fullPath(), receiverUrl() + "/dump", secret, false)
                .path("webhookCreate.webhook.hasSecretToken").entity(Boolean.class).isEqualTo(true)
                .path("webhookCreate.webhook.id").entity(String.class).get().replaceAll("\\D", ""));

        var row = dsl.selectFrom(WEBHOOKS).where(WEBHOOKS.ID.eq(id)).fetchSingle();
        assertThat(row.getSecretKeyId()).isEqualTo(TestSecrets.ACTIVE_KEY_ID);
        // nonce (12 bytes) + ciphertext (as long as the secret) + tag (16 bytes)
        assertThat(Base64.getDecoder().decode(row.getSecretToken())).hasSize(12 + secret.length() + 16);
        IssuedToken token = fixtures.pat(maintainer, "api");
        assertThat(databaseDump()).contains(project.fullPath()).doesNotContain(secret).doesNotContain(token.secret());
        assertThat(webhookRepository.secretOf(id)).contains(secret);
    }

    @Test
    void aSealedSecretMovedToAnotherWebhookDoesNotOpen() {
        settings.setAllowLocalWebhooks(Actor.system(), true);
        Project project = fixtures.project(fixtures.group());
        User maintainer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        long precious = webhookId(create(tester(maintainer), project.fullPath(), receiverUrl() + "/a", "precious", false));
        long other = webhookId(create(tester(maintainer), project.fullPath(), receiverUrl() + "/b", "other", false));
        var sealed = dsl.selectFrom(WEBHOOKS).where(WEBHOOKS.ID.eq(precious)).fetchSingle();

        dsl.update(WEBHOOKS).set(WEBHOOKS.SECRET_TOKEN, sealed.getSecretToken())
                .set(WEBHOOKS.SECRET_KEY_ID, sealed.getSecretKeyId()).where(WEBHOOKS.ID.eq(other)).execute();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> webhookRepository.secretOf(other))
                .isInstanceOf(SecretCipher.UnreadableSecret.class).hasMessageNotContaining("precious");
    }

    @Test
    void plaintextSecretsFromBeforeEncryptionAreEncryptedOnStart() {
        settings.setAllowLocalWebhooks(Actor.system(), true);
        Project project = fixtures.project(fixtures.group());
        User maintainer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        long id = webhookId(create(tester(maintainer), project.fullPath(), receiverUrl() + "/old", "x", false));
        String legacy = "legacy-" + UUID.randomUUID();
        // as V8 leaves a row written before it (or by an instance of the previous version): plaintext, no key id
        dsl.update(WEBHOOKS).set(WEBHOOKS.SECRET_TOKEN, legacy).setNull(WEBHOOKS.SECRET_KEY_ID)
                .where(WEBHOOKS.ID.eq(id)).execute();
        assertThat(webhookRepository.secretOf(id)).contains(legacy);

        int encrypted = webhookService.encryptPlaintextSecrets();

        assertThat(encrypted).isOne();
        assertThat(dsl.fetchValue(WEBHOOKS.SECRET_KEY_ID, WEBHOOKS.ID.eq(id))).isEqualTo(TestSecrets.ACTIVE_KEY_ID);
        assertThat(databaseDump()).doesNotContain(legacy);
        assertThat(webhookRepository.secretOf(id)).contains(legacy);
        assertThat(webhookService.encryptPlaintextSecrets()).isZero();
    }

    /**
     * Everything the database holds, as text: H2's own {@code SCRIPT} dump where it has one, and every row of every
     * table and view in both databases.
     */
    private String databaseDump() {
        StringBuilder dump = new StringBuilder();
        if (dsl.dialect().family() == SQLDialect.H2) {
            dsl.fetch("SCRIPT").forEach(r -> dump.append(r.get(0)).append('\n'));
        }
        for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            dump.append(dsl.selectFrom(table).fetch().formatCSV());
        }
        return dump.toString();
    }

    private static long webhookId(HttpGraphQlTester.Response created) {
        return Long.parseLong(created.path("webhookCreate.webhook.id").entity(String.class).get().replaceAll("\\D", ""));
    }

    @Test
    void adminsReadTheOutboxOthersCannot() {
        User admin = fixtures.admin();
        User user = fixtures.human();
        tester(admin).document("{ notificationOutbox(first: 5) { nodes { id channel state } pageInfo { hasNextPage } } }")
                .execute().path("notificationOutbox.pageInfo.hasNextPage").hasValue();
        tester(user).document("{ notificationOutbox(first: 5) { nodes { id } } }").execute().errors()
                .satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
    }

    private String receiverUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    private HttpGraphQlTester.Response create(HttpGraphQlTester api, String projectPath, String url) {
        return api.document("""
                mutation($path: String, $url: String!) { webhookCreate(input: {projectPath: $path, url: $url}) {
                  webhook { id url } errors } }""").variable("path", projectPath).variable("url", url).execute();
    }

    private HttpGraphQlTester.Response create(HttpGraphQlTester api, String projectPath, String url, String secret,
            boolean extended) {
        return api.document("""
                mutation($path: String, $url: String!, $secret: String, $ext: Boolean) { webhookCreate(input: {
                  projectPath: $path, url: $url, secretToken: $secret, extendedExpiryThresholds: $ext }) {
                  webhook { id url hasSecretToken } errors } }""")
                .variable("path", projectPath).variable("url", url).variable("secret", secret)
                .variable("ext", extended).execute();
    }

    private HttpGraphQlTester tester(User user) {
        IssuedToken token = fixtures.pat(user, "api");
        return HttpGraphQlTester.create(WebTestClient.bindToServer().baseUrl("http://localhost:" + port + "/graphql")
                .defaultHeader("PRIVATE-TOKEN", token.secret()).build());
    }
}
