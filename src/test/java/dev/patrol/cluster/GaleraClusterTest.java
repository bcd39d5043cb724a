package dev.patrol.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import com.jayway.jsonpath.JsonPath;

import dev.patrol.PatrolApplication;
import dev.patrol.expiry.ExpiryNotifier;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.TestMailServer;
import dev.patrol.support.TestSecrets;

/**
 * Two Patrol instances on a three-node MariaDB Galera cluster ({@code .ci/galera.sh}, started by
 * {@code .ci/cluster.sh}): instance A's URL lists node 1 first, B's node 2, so each writes through its own node.
 * The promises that must hold across instances are checked through both, and the last test SIGKILLs B's node under
 * load. Tagged {@code cluster}: the plain {@code mvn verify} passes leave it out. Addresses 127.0.0.150-159.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GaleraClusterTest {

    static final Path HARNESS = Path.of(".ci/galera.sh").toAbsolutePath();
    static final int[] NODE_PORTS = {3311, 3312, 3313};
    /** Revocations, blocked users and bans: patrol.auth.changes.stale-after. */
    static final Duration BOUND = Duration.ofSeconds(1);

    // language=GraphQL
    static final String WHO = "{ currentUser { username } }";

    final String database = "patrol_cluster_" + ProcessHandle.current().pid();
    final ShiftedClock clock = SharedClock.CLOCK;
    Instance a;
    Instance b;
    String root;

    @BeforeAll
    void startTwoInstancesOnTwoNodes() throws Exception {
        for (int port : NODE_PORTS) {
            try (Connection c = node(port)) {
                assertThat(status(c, "wsrep_cluster_size")).as("cluster size on %s (run .ci/galera.sh start)",
                        port).isEqualTo("3");
            }
        }
        try (Connection c = node(3311); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        for (String name : List.of("a", "b")) {
            Files.deleteIfExists(Path.of("target/cluster-" + name, "initial_root_token"));
        }
        // A migrates; B starts at the same time and waits for the schema instead of migrating on its own node
        ExecutorService starting = Executors.newFixedThreadPool(2);
        Future<Instance> startingB = starting.submit(() -> Instance.start("b", "wait", database, 2, 3, 1));
        a = Instance.start("a", "true", database, 1, 3, 2);
        b = startingB.get(5, TimeUnit.MINUTES);
        starting.shutdown();
        root = rootToken();
    }

    /** Whichever instance created root wrote its token. */
    static String rootToken() throws IOException {
        for (String name : List.of("a", "b")) {
            Path file = Path.of("target/cluster-" + name, "initial_root_token");
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
        }
        throw new IllegalStateException("no instance created root");
    }

    @AfterAll
    void stop() throws Exception {
        if (a != null) {
            a.context.close();
        }
        if (b != null) {
            b.context.close();
        }
        try (Connection c = node(3311); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
        }
    }

    @Test
    @Order(1)
    void twoHundredConcurrentCreationsThroughBothInstancesArePresentOnEveryNode() throws Exception {
        List<Future<HttpResponse<String>>> created = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                Instance via = i % 2 == 0 ? a : b;
                int n = i;
                created.add(pool.submit(() -> via.http.graphql(create("burst-" + n, null), auth(root))));
            }
        }
        for (Future<HttpResponse<String>> response : created) {
            assertThat(response.get().statusCode()).isEqualTo(200);
            assertThat(response.get().body()).contains("\"errors\":[]");
        }

        for (int port : NODE_PORTS) {
            assertThat(countOn(port, "name LIKE 'burst-%'")).as("on node %s", port).isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    void twentyFourConcurrentRotationsAcrossNodesHaveOneWinner() throws Exception {
        String id = id(a.http.graphql(create("rotated", null), auth(root)));
        List<Future<HttpResponse<String>>> rotations = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 24; i++) {
                Instance via = i % 2 == 0 ? a : b;
                rotations.add(pool.submit(() -> via.http.graphql(rotate(id), auth(root))));
            }
        }
        int winners = 0;
        for (Future<HttpResponse<String>> rotation : rotations) {
            HttpResponse<String> response = rotation.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).doesNotContain("INTERNAL_ERROR");
            if (JsonPath.read(response.body(), "$.data.accessTokenRotate.token") != null) {
                winners++;
            }
        }
        assertThat(winners).isEqualTo(1);
        assertThat(countOn(3313, "name = 'rotated' AND revoked_at IS NULL")).isEqualTo(1);
    }

    @Test
    @Order(3)
    void rotatingARevokedTokenOnTheOtherInstanceIsDetectedAsReuse() throws Exception {
        String id = id(a.http.graphql(create("reused", null), auth(root)));
        HttpResponse<String> rotated = a.http.graphql(rotate(id), auth(root));
        String successor = JsonPath.read(rotated.body(), "$.data.accessTokenRotate.token");
        assertThat(b.http.graphql(WHO, auth(successor)).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(6));

        HttpResponse<String> reuse = b.http.graphql(rotate(id), auth(root));

        assertThat(errors(reuse)).singleElement().asString().contains("reuse");
        assertThat(refusedWithin(a, successor)).as("the family revoked on A too").isTrue();
    }

    @Test
    @Order(4)
    void expiryNoticesAreQueuedOnceWithTheJobRunningOnBothInstancesAtOnce() throws Exception {
        LocalDate today = LocalDate.now(clock);
        for (int i = 0; i < 20; i++) {
            a.http.graphql(create("expiring-" + i, today.plusDays(7)), auth(root));
        }
        int outboxBefore = countRows(3311, "notification_outbox", "1 = 1");

        ExecutorService both = Executors.newFixedThreadPool(2);
        Future<ExpiryNotifier.RunResult> onA = both.submit(() -> a.bean(ExpiryNotifier.class).notifyExpiring(today));
        Future<ExpiryNotifier.RunResult> onB = both.submit(() -> b.bean(ExpiryNotifier.class).notifyExpiring(today));
        int queued = onA.get().emails() + onB.get().emails();
        both.shutdown();

        assertThat(queued).isPositive();
        assertThat(countRows(3312, "notification_outbox", "1 = 1") - outboxBefore).isEqualTo(queued);
        assertThat(a.bean(ExpiryNotifier.class).notifyExpiring(today).emails()).isZero();
        assertThat(b.bean(ExpiryNotifier.class).notifyExpiring(today).emails()).isZero();
    }

    @Test
    @Order(5)
    void aBanOnOneInstanceHoldsOnTheOtherWithinTheBound() throws Exception {
        String good = JsonPath.read(a.http.graphql(create("ban-probe", null), auth(root)).body(),
                "$.data.personalAccessTokenCreate.token");
        ApiHttp fromAOn151 = ApiHttp.from127(a.port, 151);
        ApiHttp fromBOn151 = ApiHttp.from127(b.port, 151);
        assertThat(fromBOn151.graphql(WHO, auth(good)).statusCode()).isEqualTo(200);

        for (int i = 0; i < 30; i++) {
            fromAOn151.graphql(WHO, auth("glpat-" + "x".repeat(19) + (char) ('a' + i % 26)));
        }
        long start = System.nanoTime();
        int status = 0;
        while (System.nanoTime() - start < BOUND.toNanos() && (status = fromBOn151.graphql(WHO, auth(good))
                .statusCode()) != 403) {
            Thread.onSpinWait();
        }
        System.out.printf("Ban visible on the other instance after %d ms%n", millisSince(start));

        assertThat(fromBOn151.graphql(WHO, auth(good)).statusCode()).isEqualTo(403);
        assertThat(status).isNotEqualTo(500);
    }

    @Test
    @Order(6)
    void aRevocationOnOneInstanceHoldsOnTheOtherWithinTheBound() throws Exception {
        HttpResponse<String> created = a.http.graphql(create("revoked", null), auth(root));
        String token = JsonPath.read(created.body(), "$.data.personalAccessTokenCreate.token");
        assertThat(a.http.graphql(WHO, auth(token)).statusCode()).isEqualTo(200);
        assertThat(b.http.graphql(WHO, auth(token)).statusCode()).isEqualTo(200);

        a.http.graphql(revoke(id(created)), auth(root));

        assertThat(refusedWithin(b, token)).isTrue();
    }

    @Test
    @Order(7)
    void aNodeKilledUnderLoadLosesNoAcknowledgedWriteAndItsInstanceFailsOver() throws Exception {
        Load load = new Load();
        load.start(List.of(a, b), 12);
        load.awaitSuccesses(b, 20);

        long killedAt = System.nanoTime();
        harness("kill", "2");
        try {
            load.awaitSuccessesAfter(b, killedAt, 20, Duration.ofSeconds(30));
            load.awaitSuccessesAfter(a, killedAt, 20, Duration.ofSeconds(30));
        } finally {
            load.stop();
            if (!nodeRuns(3312)) {
                harness("rejoin", "2");
            }
        }

        System.out.printf("Node 2 killed under load: %s%n", load.summary(killedAt));
        assertThat(load.unexpected).as("answers other than 200 and 503 with Retry-After").isEmpty();
        Set<Long> acknowledged = load.acknowledged();
        assertThat(acknowledged).isNotEmpty();
        for (int port : new int[] {3311, 3313}) {
            assertThat(idsOn(port, "name LIKE 'load-%'")).as("on surviving node %s", port).containsAll(acknowledged);
        }

        assertThat(idsOn(3312, "name LIKE 'load-%'")).as("on the rejoined node").containsAll(acknowledged);
        assertThat(countOn(3312, "name LIKE 'burst-%'")).isEqualTo(200);
        String token = JsonPath.read(b.http.graphql(create("after-rejoin", null), auth(root)).body(),
                "$.data.personalAccessTokenCreate.token");
        assertThat(a.http.graphql(WHO, auth(token)).statusCode()).isEqualTo(200);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** Asks {@code via} with {@code token} until it is refused, at most the bound; then it must be refused. */
    private boolean refusedWithin(Instance via, String token) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < BOUND.toNanos() && via.http.graphql(WHO, auth(token)).statusCode() == 200) {
            Thread.onSpinWait();
        }
        System.out.printf("Revocation visible on instance %s after %d ms%n", via.name, millisSince(start));
        return via.http.graphql(WHO, auth(token)).statusCode() == 401;
    }

    static String create(String name, LocalDate expiresAt) {
        return "mutation { personalAccessTokenCreate(input: {name: \"" + name + "\", scopes: [\"api\"]"
                + (expiresAt == null ? "" : ", expiresAt: \"" + expiresAt + "\"")
                + "}) { token accessToken { id } errors } }";
    }

    static String rotate(String id) {
        return "mutation { accessTokenRotate(input: {id: \"" + id + "\"}) { token errors } }";
    }

    static String revoke(String id) {
        return "mutation { accessTokenRevoke(input: {id: \"" + id + "\"}) { errors } }";
    }

    /**
     * What a client may be told while a node fails: 503 with Retry-After at the door, or the GraphQL error
     * SERVICE_UNAVAILABLE (classified so); never INTERNAL_ERROR.
     */
    static boolean unavailable(HttpResponse<String> response) {
        if (response.body().contains("INTERNAL_ERROR")) {
            return false;
        }
        return response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()
                || response.statusCode() == 200 && response.body().contains("\"code\":\"SERVICE_UNAVAILABLE\"");
    }

    static String[] auth(String token) {
        return new String[] {"PRIVATE-TOKEN", token};
    }

    static String id(HttpResponse<String> created) {
        return JsonPath.read(created.body(), "$.data.personalAccessTokenCreate.accessToken.id");
    }

    static List<String> errors(HttpResponse<String> response) {
        Map<String, Object> data = JsonPath.read(response.body(), "$.data");
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) data.values().iterator().next();
        @SuppressWarnings("unchecked")
        List<String> errors = (List<String>) payload.get("errors");
        return errors;
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    static void harness(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(HARNESS.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(".ci/galera.sh %s", String.join(" ", args)).isZero();
    }

    /** A connection to one node that reads causally: it sees every write the cluster committed before it. */
    Connection node(int port) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", "root", "");
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1");
        }
        return c;
    }

    static boolean nodeRuns(int port) {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/?connectTimeout=1000",
                "root", "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    static String status(Connection c, String variable) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW STATUS LIKE '" + variable + "'")) {
            return r.next() ? r.getString(2) : null;
        }
    }

    int countOn(int port, String where) throws SQLException {
        return countRows(port, "access_tokens", where);
    }

    int countRows(int port, String table, String where) throws SQLException {
        try (Connection c = node(port); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + database + "." + table + " WHERE " + where)) {
            r.next();
            return r.getInt(1);
        }
    }

    Set<Long> idsOn(int port, String where) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection c = node(port); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id FROM " + database + ".access_tokens WHERE " + where)) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    /** One Patrol instance in this JVM, its pool pointed at the nodes in the order given. */
    record Instance(String name, ConfigurableApplicationContext context, int port, ApiHttp http) {

        static Instance start(String name, String migrate, String database, int... nodes) {
            StringBuilder hosts = new StringBuilder();
            for (int node : nodes) {
                hosts.append(hosts.isEmpty() ? "" : ",").append("127.0.0.1:").append(3310 + node);
            }
            ConfigurableApplicationContext context = new SpringApplicationBuilder(PatrolApplication.class,
                    SharedClock.class)
                    .initializers(new TestMailServer())
                    .run(Map.ofEntries(
                            Map.entry("spring.autoconfigure.exclude",
                                    "org.springframework.shell.core.autoconfigure.SpringShellAutoConfiguration"),
                            Map.entry("spring.datasource.url", "jdbc:mysql://" + hosts + "/" + database
                                    + "?failOverReadOnly=false&connectTimeout=1000&socketTimeout=15000"
                                    + "&sessionVariables=wsrep_sync_wait=1"),
                            Map.entry("spring.datasource.username", "root"),
                            Map.entry("spring.datasource.password", ""),
                            Map.entry("server.port", "0"),
                            Map.entry("patrol.data-dir", "target/cluster-" + name),
                            Map.entry("patrol.database.migrate", migrate),
                            Map.entry("patrol.expiry.scheduling", "false"),
                            Map.entry("patrol.secrets.keys." + TestSecrets.ACTIVE_KEY_ID, TestSecrets.ACTIVE_KEY),
                            Map.entry("patrol.secrets.active-key", TestSecrets.ACTIVE_KEY_ID))
                            .entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                            .toArray(String[]::new));
            int port = context.getEnvironment().getProperty("local.server.port", Integer.class);
            return new Instance(name, context, port, new ApiHttp(port, "127.0.0.1"));
        }

        <T> T bean(Class<T> type) {
            return context.getBean(type);
        }
    }

    /** The wall clock, moved forward as a test needs (past rotation's race window); both instances share it. */
    static final class ShiftedClock extends Clock {
        private final AtomicLong offsetMillis = new AtomicLong();

        void advance(Duration by) {
            offsetMillis.addAndGet(by.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plusMillis(offsetMillis.get());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SharedClock {
        static final ShiftedClock CLOCK = new ShiftedClock();

        @Bean
        @Primary
        Clock sharedClock() {
            return CLOCK;
        }
    }

    /** Creations through both instances from many clients at once, each answer kept with its time. */
    static final class Load {
        record Answer(String instance, long at, int status, Long id) {
        }

        final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> clients = new ArrayList<>();
        String rootToken;

        void start(List<Instance> instances, int clientsPerInstance) throws IOException {
            rootToken = rootToken();
            AtomicLong names = new AtomicLong();
            for (Instance instance : instances) {
                for (int i = 0; i < clientsPerInstance; i++) {
                    clients.add(Thread.startVirtualThread(() -> {
                        while (running.get()) {
                            HttpResponse<String> response = instance.http.graphql(
                                    create("load-" + names.incrementAndGet(), null), auth(rootToken));
                            record(instance, response);
                        }
                    }));
                }
            }
        }

        private void record(Instance instance, HttpResponse<String> response) {
            long at = System.nanoTime();
            Long id = null;
            if (response.statusCode() == 200 && !response.body().contains("\"errors\":[{")
                    && response.body().contains("PersonalAccessToken/")) {
                String gid = JsonPath.read(response.body(), "$.data.personalAccessTokenCreate.accessToken.id");
                id = Long.parseLong(gid.substring(gid.lastIndexOf('/') + 1));
            } else if (!unavailable(response)) {
                unexpected.add(instance.name + " " + response.statusCode() + " " + response.body());
            }
            answers.add(new Answer(instance.name, at, response.statusCode(), id));
        }

        void awaitSuccesses(Instance instance, int n) {
            awaitSuccessesAfter(instance, 0, n, Duration.ofSeconds(60));
        }

        void awaitSuccessesAfter(Instance instance, long after, int n, Duration atMost) {
            long deadline = System.nanoTime() + atMost.toNanos();
            while (System.nanoTime() < deadline && unexpected.isEmpty() && answers.stream()
                    .filter(x -> x.instance.equals(instance.name) && x.at > after && x.id != null).count() < n) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread client : clients) {
                client.join(Duration.ofSeconds(30));
            }
        }

        Set<Long> acknowledged() {
            Set<Long> ids = new HashSet<>();
            answers.forEach(x -> {
                if (x.id != null) {
                    ids.add(x.id);
                }
            });
            return ids;
        }

        /** Per instance after the kill: 200s, 503s, and the time from the kill to its last 503 (its failover). */
        String summary(long killedAt) {
            StringBuilder out = new StringBuilder();
            for (String instance : List.of("a", "b")) {
                long ok = answers.stream().filter(x -> x.instance.equals(instance) && x.at > killedAt
                        && x.id != null).count();
                long unavailable = answers.stream().filter(x -> x.instance.equals(instance) && x.at > killedAt
                        && x.status == 503).count();
                long lastFailure = answers.stream().filter(x -> x.instance.equals(instance) && x.at > killedAt
                        && x.id == null).mapToLong(Answer::at).max().orElse(killedAt);
                long refused = answers.stream().filter(x -> x.instance.equals(instance) && x.at > killedAt
                        && x.id == null).count();
                long firstSuccess = answers.stream().filter(x -> x.instance.equals(instance) && x.at > killedAt
                        && x.id != null).mapToLong(Answer::at).min().orElse(killedAt);
                out.append(String.format("instance %s: %d created, %d unavailable (%d of them 503); first creation %d "
                        + "ms after the kill, last unavailable at %d ms. ", instance, ok, refused, unavailable,
                        TimeUnit.NANOSECONDS.toMillis(firstSuccess - killedAt),
                        TimeUnit.NANOSECONDS.toMillis(lastFailure - killedAt)));
            }
            return out.append(acknowledged().size()).append(" acknowledged in all").toString();
        }
    }
}
