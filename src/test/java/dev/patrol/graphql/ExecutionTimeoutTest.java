package dev.patrol.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DefaultConnectionProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.test.context.TestPropertySource;

import com.jayway.jsonpath.JsonPath;

import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.PatrolTest;
import graphql.GraphQLContext;
import io.micrometer.context.ContextSnapshot.Scope;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * The time limit of one GraphQL request. This context's limit is a nanosecond, so every request here has run out
 * of time before its first statement: deterministic, and no request has to be slow to show the answer's shape.
 */
@PatrolTest
// a data directory of its own: each database writes its root token there, and RootBootstrapTest reads the shared one
@TestPropertySource(properties = {"patrol.graphql.execution-timeout=1ns", "patrol.data-dir=target/test-data-timeout"})
class ExecutionTimeoutTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired DSLContext dsl;

    @Test
    void aRequestPastItsTimeLimitAnswersAGraphQlErrorWithCodeTimeoutNotA5xx() {
        String token = fixtures.pat(fixtures.admin(), "read_api").secret();

        HttpResponse<String> response = new ApiHttp(port, "127.0.0.1")
                .graphql("{ accessTokens(first: 100) { nodes { id owner { username } } } }", "PRIVATE-TOKEN", token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(response.body(), "$.errors[0].extensions.code")).isEqualTo("TIMEOUT");
        assertThat((String) JsonPath.read(response.body(), "$.errors[0].message")).contains("time limit");
        assertThat(response.body()).doesNotContain("QueryTimeout").doesNotContain("SQL").doesNotContain("select");
    }

    /**
     * A statement that would scan ten billion generated rows, run with the deadline a GraphQL data fetcher carries
     * (restored the way Spring GraphQL restores it on the fetcher's thread): the database stops it when the time is
     * up. The JUnit timeout only guards against a hang if it did not.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aStatementStillRunningAtTheDeadlineIsCancelledByTheDatabase() {
        String slow = dsl.dialect().family() == SQLDialect.H2
                ? "select sum(a.x * b.x) from system_range(1, 100000) a, system_range(1, 100000) b"
                : "select sum(a.seq * b.seq) from seq_1_to_100000 a, seq_1_to_100000 b";
        ExecutionTimeout.Deadline deadline = new ExecutionTimeout.Deadline();
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(deadline::pass);
        try (Scope scope = ContextSnapshotFactory.builder().build()
                        .setThreadLocalsFrom(GraphQLContext.of(Map.of(ExecutionTimeout.DEADLINE_KEY, deadline)),
                                ExecutionTimeout.DEADLINE_KEY)) {
            assertThatThrownBy(() -> dsl.fetchValue(slow)).isInstanceOf(QueryTimeoutException.class);
        }
    }

    /** A request's statements are cancelled by its own timer: nothing is left on the connection for the next user. */
    @Test
    void aConnectionUsedUnderADeadlineCarriesNoTimeoutIntoWorkWithout() {
        dsl.connection(connection -> {
            DSLContext sameConnection = dsl.configuration().derive(new DefaultConnectionProvider(connection)).dsl();
            try (Scope scope = ContextSnapshotFactory.builder().build().setThreadLocalsFrom(
                            GraphQLContext.of(Map.of(ExecutionTimeout.DEADLINE_KEY, new ExecutionTimeout.Deadline())),
                            ExecutionTimeout.DEADLINE_KEY)) {
                sameConnection.fetchValue("select 1");
            }
            sameConnection.fetchValue("select 2");
            try (Statement statement = connection.createStatement()) {
                assertThat(statement.getQueryTimeout()).isZero();
            }
        });
    }

    /** Past the deadline a data fetcher's next statement is refused before it reaches the database. */
    @Test
    void aStatementStartedAfterTheDeadlineIsRefusedBeforeItRuns() {
        ExecutionTimeout.Deadline deadline = new ExecutionTimeout.Deadline();
        deadline.pass();
        try (Scope scope = ContextSnapshotFactory.builder().build().setThreadLocalsFrom(
                GraphQLContext.of(Map.of(ExecutionTimeout.DEADLINE_KEY, deadline)), ExecutionTimeout.DEADLINE_KEY)) {
            assertThatThrownBy(() -> dsl.fetchValue("select 1")).isInstanceOf(QueryTimeoutException.class)
                    .hasMessageContaining("time limit has passed");
        }
    }
}
