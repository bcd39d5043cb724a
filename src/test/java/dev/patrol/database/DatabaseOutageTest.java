package dev.patrol.database;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteListenerProvider;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;

import dev.patrol.auth.AuthProperties;
import dev.patrol.auth.FailedAuthBan;
import dev.patrol.auth.FeedTokenFilter;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.ProxiedDatabase;
import dev.patrol.support.TcpProxy;
import dev.patrol.support.TestConfig;
import dev.patrol.support.TestMailServer;
import dev.patrol.support.TestSecrets;
import dev.patrol.token.TokenSecrets;
import dev.patrol.token.TokenType;

/**
 * Patrol with its database behind a {@link TcpProxy} that kills, freezes and breaks the connections. A context of
 * its own (see {@link ProxiedDatabase}); otherwise as {@code @PatrolTest}. Authentication results are kept for an
 * hour here, so a token warmed at the start of a test is still warm when its outage begins.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.autoconfigure.exclude=org.springframework.shell.core.autoconfigure.SpringShellAutoConfiguration",
        "patrol.expiry.scheduling=false",
        "patrol.data-dir=target/test-data-outage",
        "patrol.auth.cache-ttl=1h",
        "patrol.auth.changes.polling=false",
        "patrol.secrets.keys." + TestSecrets.ACTIVE_KEY_ID + "=" + TestSecrets.ACTIVE_KEY,
        "patrol.secrets.active-key=" + TestSecrets.ACTIVE_KEY_ID})
@ContextConfiguration(initializers = {ProxiedDatabase.class, TestMailServer.class})
@Import({TestConfig.class, DatabaseOutageTest.CommitBreaker.class})
class DatabaseOutageTest {

    // language=GraphQL
    static final String NEEDS_THE_DATABASE = "{ accessTokens(first: 1) { nodes { id } } }";
    private static final Pattern TOKEN_INSERT = Pattern.compile("insert into access_tokens\\b",
            Pattern.CASE_INSENSITIVE);

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TcpProxy database;
    @Autowired DSLContext dsl;
    @Autowired CommitBreaker commitBreaker;
    @Autowired DataSource dataSource;
    @Autowired MutableClock clock;

    @AfterEach
    void restore() {
        database.restore();
    }

    @Test
    void whileTheDatabaseIsKilledAnUnseenTokenGets503WithRetryAfterAndAWarmOneNever401() {
        outage(database::kill, "kill", 81);
    }

    @Test
    void whileTheDatabaseIsFrozenAnUnseenTokenGets503WithRetryAfterAndAWarmOneNever401() {
        outage(database::freeze, "freeze", 82);
    }

    private void outage(Runnable takeAway, String kind, int address) {
        String warm = fixtures.pat(fixtures.human(), "api").secret();
        String unseen = fixtures.pat(fixtures.human(), "api").secret();
        ApiHttp http = ApiHttp.from127(port, address);
        assertThat(post(http, NEEDS_THE_DATABASE, warm).statusCode()).isEqualTo(200);

        takeAway.run();
        long start = System.nanoTime();
        HttpResponse<String> refused = post(http, NEEDS_THE_DATABASE, unseen);
        long firstErrorMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        start = System.nanoTime();
        HttpResponse<String> warmDuringOutage = post(http, NEEDS_THE_DATABASE, warm);
        long warmErrorMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("Database %s: first error after %d ms (unseen token), %d ms (warm token)%n", kind,
                firstErrorMillis, warmErrorMillis);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat((String) JsonPath.read(refused.body(), "$.error")).isEqualTo("database_unavailable");
        assertThat((String) JsonPath.read(refused.body(), "$.message")).containsIgnoringCase("database")
                .doesNotContain("Exception").doesNotContain("select");

        assertThat(warmDuringOutage.statusCode()).isNotEqualTo(401).isEqualTo(200);
        assertThat((String) JsonPath.read(warmDuringOutage.body(), "$.errors[0].extensions.code"))
                .isEqualTo("SERVICE_UNAVAILABLE");
        assertThat((String) JsonPath.read(warmDuringOutage.body(), "$.errors[0].extensions.classification"))
                .as("a client reading the classification must not see a bug").isEqualTo("SERVICE_UNAVAILABLE");
        assertThat((String) JsonPath.read(warmDuringOutage.body(), "$.errors[0].message"))
                .containsIgnoringCase("database").doesNotContain("Exception").doesNotContain("select");
    }

    @Test
    void theCalendarFeedAlsoAnswers503WithRetryAfterDuringAnOutage() {
        ApiHttp http = ApiHttp.from127(port, 85);
        database.kill();

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(http.uri(FeedTokenFilter.PATH
                + "?feed_token=" + TokenSecrets.generate(TokenType.FEED))).timeout(Duration.ofSeconds(60)).GET());

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.body()).containsIgnoringCase("database").doesNotContain("Exception");
    }

    @Test
    void patrolRecoversByItselfWhenTheDatabaseReturns() {
        String token = fixtures.pat(fixtures.human(), "api").secret();
        String unseen = fixtures.pat(fixtures.human(), "api").secret();
        ApiHttp http = ApiHttp.from127(port, 84);
        assertThat(post(http, NEEDS_THE_DATABASE, token).statusCode()).isEqualTo(200);
        database.kill();
        assertThat(post(http, NEEDS_THE_DATABASE, unseen).statusCode()).isEqualTo(503);

        database.restore();

        HttpResponse<String> after = post(http, NEEDS_THE_DATABASE, token);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).doesNotContain("errors");
    }

    @Test
    void whenEveryPooledConnectionIsBusyTheRefusalSaysSoInsteadOfDatabaseDown() throws Exception {
        String warm = fixtures.pat(fixtures.human(), "api").secret();
        String unseen = fixtures.pat(fixtures.human(), "api").secret();
        ApiHttp http = ApiHttp.from127(port, 87);
        assertThat(post(http, NEEDS_THE_DATABASE, warm).statusCode()).isEqualTo(200);
        List<Connection> held = new ArrayList<>();
        HttpResponse<String> refused;
        try {
            for (int i = 0; i < ((HikariDataSource) dataSource).getMaximumPoolSize(); i++) {
                held.add(dataSource.getConnection());
            }
            refused = post(http, NEEDS_THE_DATABASE, unseen);
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat((String) JsonPath.read(refused.body(), "$.error")).isEqualTo("database_unavailable");
        assertThat((String) JsonPath.read(refused.body(), "$.message")).contains("connection is in use")
                .doesNotContain("unavailable");
        assertThat(post(http, NEEDS_THE_DATABASE, unseen).statusCode()).isEqualTo(200);
    }

    /** The decision for the ban during an outage: the last known state stays in force, and nobody is unbanned. */
    @Test
    void duringAnOutageTheBanCheckUsesTheLastKnownStateOfAnAddress() {
        ApiHttp banned = ApiHttp.from127(port, 88);
        for (int i = 0; i < 30; i++) {
            post(banned, NEEDS_THE_DATABASE, "glpat-" + "x".repeat(20) + i);
        }
        assertThat(post(banned, NEEDS_THE_DATABASE, fixtures.pat(fixtures.human(), "api").secret()).statusCode())
                .isEqualTo(403);
        // another instance whose knowledge is always due for a re-read
        FailedAuthBan otherInstance = new FailedAuthBan(dsl, clock, new AuthProperties(Duration.ZERO,
                new AuthProperties.Ban(true, 30, Duration.ofMinutes(3), Duration.ofHours(1), List.of()),
                new AuthProperties.Usage(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(1))));
        assertThat(otherInstance.isBanned("127.0.0.88")).isTrue();
        assertThat(otherInstance.isBanned("127.0.0.89")).isFalse();

        database.kill();

        HttpResponse<String> stillBanned = post(banned, NEEDS_THE_DATABASE, "glpat-" + "y".repeat(20));
        assertThat(stillBanned.statusCode()).isEqualTo(403);
        assertThat((String) JsonPath.read(stillBanned.body(), "$.error")).isEqualTo("ip_banned");
        for (int i = 0; i < 3; i++) {
            assertThat(otherInstance.isBanned("127.0.0.88")).isTrue();
            assertThat(otherInstance.isBanned("127.0.0.89")).isFalse();
        }
    }

    /**
     * The ban state of an address is read without a per-address lock: while the first request's read is held
     * inside the database call, the second request's own read arrives there too instead of queueing behind it.
     */
    @Test
    void aSecondRequestFromTheSameAddressDoesNotWaitBehindTheFirstsBanRead() throws Exception {
        String token = fixtures.pat(fixtures.human(), "api").secret();
        ApiHttp http = ApiHttp.from127(port, 83);
        CountDownLatch secondRead = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        AtomicBoolean bothInsideAtOnce = new AtomicBoolean();
        Runnable requests = () -> {
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<HttpResponse<String>>> responses = List.of(
                        clients.submit(() -> post(http, NEEDS_THE_DATABASE, token)),
                        clients.submit(() -> post(http, NEEDS_THE_DATABASE, token)));
                for (Future<HttpResponse<String>> response : responses) {
                    assertThat(response.get().statusCode()).isEqualTo(200);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        whileListening(ctx -> {
            String sql = plain(ctx.sql());
            if (sql.startsWith("select") && sql.contains("auth_failures")
                    && ctx.query() != null && ctx.query().getBindValues().contains("127.0.0.83")) {
                if (reads.incrementAndGet() == 1) {
                    try {
                        bothInsideAtOnce.set(secondRead.await(20, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    secondRead.countDown();
                }
            }
        }, null, requests);

        assertThat(bothInsideAtOnce).isTrue();
    }

    @Test
    void aWriteWhoseConnectionBrokeBeforeCommitIsRetriedOnAFreshConnectionAndAppliedOnce() {
        String token = fixtures.pat(fixtures.admin(), "api").secret();
        String name = fixtures.unique("retried");
        AtomicInteger inserts = new AtomicInteger();

        HttpResponse<String> created = withListener(null, ctx -> {
            if (TOKEN_INSERT.matcher(plain(ctx.sql())).find() && inserts.incrementAndGet() == 1) {
                database.dropConnections();
            }
        }, () -> post(ApiHttp.from127(port, 85), createToken(name), token));

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).doesNotContain("\"errors\":[{");
        assertThat((String) JsonPath.read(created.body(), "$.data.personalAccessTokenCreate.token")).isNotBlank();
        assertThat(inserts).hasValue(2);
        assertThat(dsl.fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.NAME.eq(name))).isEqualTo(1);
    }

    @Test
    void aCommitWhoseOutcomeIsUnknownIsReportedAsServiceUnavailableAndNotRetried() {
        String token = fixtures.pat(fixtures.admin(), "api").secret();
        String name = fixtures.unique("unknown");
        AtomicInteger inserts = new AtomicInteger();
        commitBreaker.arm("issue", database::dropConnections);

        HttpResponse<String> created = withListener(null, ctx -> {
            if (TOKEN_INSERT.matcher(plain(ctx.sql())).find()) {
                inserts.incrementAndGet();
            }
        }, () -> post(ApiHttp.from127(port, 86), createToken(name), token));

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(created.body(), "$.errors[0].extensions.code"))
                .isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(inserts).hasValue(1);
    }

    private static String createToken(String name) {
        // language=GraphQL
        return "mutation { personalAccessTokenCreate(input: {name: \"" + name + "\", scopes: [\"read_api\"]}) "
                + "{ token errors } }";
    }

    private static HttpResponse<String> post(ApiHttp http, String query, String token) {
        // the timeout only keeps a hanging Patrol from hanging the build
        return http.send(HttpRequest.newBuilder(http.uri("/graphql")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":" + ApiHttp.jsonString(query) + "}"))
                .header("Content-Type", "application/json"), "PRIVATE-TOKEN", token);
    }

    private static String plain(String sql) {
        return sql == null ? "" : sql.replace("`", "").replace("\"", "").strip().toLowerCase();
    }

    private <T> T withListener(Consumer<ExecuteContext> onStart, Consumer<ExecuteContext> onEnd,
            Supplier<T> work) {
        ExecuteListenerProvider[] before = dsl.configuration().executeListenerProviders();
        ExecuteListenerProvider[] with = Arrays.copyOf(before, before.length + 1);
        with[before.length] = new DefaultExecuteListenerProvider(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                if (onStart != null) {
                    onStart.accept(ctx);
                }
            }

            @Override
            public void executeEnd(ExecuteContext ctx) {
                if (onEnd != null) {
                    onEnd.accept(ctx);
                }
            }
        });
        dsl.configuration().set(with);
        try {
            return work.get();
        } finally {
            dsl.configuration().set(before);
        }
    }

    private void whileListening(Consumer<ExecuteContext> onStart, Consumer<ExecuteContext> onEnd, Runnable work) {
        withListener(onStart, onEnd, () -> {
            work.run();
            return null;
        });
    }

    /** Breaks the connection of the next commit of a named transaction, just before the commit is sent. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CommitBreaker {

        private volatile String transaction;
        private volatile Runnable breaker;

        void arm(String transactionMethod, Runnable breaker) {
            this.transaction = transactionMethod;
            this.breaker = breaker;
        }

        @Bean
        TransactionExecutionListener commitBreakingListener() {
            return new TransactionExecutionListener() {
                @Override
                public void beforeCommit(TransactionExecution execution) {
                    Runnable armed = breaker;
                    if (armed != null && execution.getTransactionName().endsWith("." + transaction)) {
                        breaker = null;
                        armed.run();
                    }
                }
            };
        }
    }
}
