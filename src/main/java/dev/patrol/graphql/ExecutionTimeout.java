package dev.patrol.graphql;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteListenerProvider;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import io.micrometer.context.ContextRegistry;
import reactor.core.publisher.Mono;

/**
 * The time limit of one GraphQL request ({@code patrol.graphql.execution-timeout}, 10 s). When it passes the
 * client gets a GraphQL error with code {@code TIMEOUT} and no data (never the servlet's bare 503), Spring GraphQL
 * cancels the execution so no further field is fetched, and the database statements the request still runs are
 * cancelled ({@link Statement#cancel()}) and end as {@link QueryTimeoutException}.
 *
 * <p>The request's {@link Deadline} travels in the GraphQL context under {@link #DEADLINE_KEY}; Spring GraphQL
 * restores it as a thread-local on whichever thread runs a data fetcher (context propagation), where the jOOQ listener
 * reads it. Work outside GraphQL (the streamed export, scheduled jobs) carries no deadline and is not limited.
 *
 * <p>Why not JDBC's query timeout on each statement: Connector/J arms a timer task per statement and wakes its
 * connection's timer thread to do so, which cost a sixth of an inventory page's CPU (issue 17's profile). The
 * request's own timeout, and a cancel only when it fires, cost nothing a statement notices.
 */
@Configuration(proxyBeanMethods = false)
class ExecutionTimeout implements WebGraphQlInterceptor {

    static final String DEADLINE_KEY = "patrol.executionDeadline";
    static final String CODE = "TIMEOUT";
    static final String MESSAGE = "The request ran past its time limit and was stopped. Ask for less (smaller pages,"
            + " fewer fields) or narrow the filter.";

    private static final ThreadLocal<Deadline> DEADLINE = new ThreadLocal<>();

    static {
        ContextRegistry.getInstance().registerThreadLocalAccessor(DEADLINE_KEY, DEADLINE);
    }

    private final Duration timeout;

    ExecutionTimeout(GraphQlLimits limits) {
        this.timeout = limits.executionTimeout();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Deadline deadline = new Deadline();
        request.configureExecutionInput((input, builder) ->
                builder.graphQLContext(context -> context.put(DEADLINE_KEY, deadline)).build());
        return chain.next(request).timeout(timeout, Mono.fromSupplier(() -> {
            deadline.pass();
            return timedOut(request);
        }));
    }

    private WebGraphQlResponse timedOut(WebGraphQlRequest request) {
        GraphQLError error = GraphQLError.newError()
                .errorType(ErrorType.ExecutionAborted)
                .message(MESSAGE)
                .extensions(Map.of("code", CODE))
                .build();
        ExecutionResult result = ExecutionResult.newExecutionResult().addError(error).build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
    }

    /**
     * One request's time limit and the statements it is running, to cancel when the limit passes (the request's own
     * timeout, which also answers the client, says when: cancelling a statement is quick, H2 flags it and Connector/J
     * sends {@code KILL QUERY} on a connection of its own).
     */
    static final class Deadline {

        private final Set<Statement> running = ConcurrentHashMap.newKeySet();
        private volatile boolean passed;

        void pass() {
            passed = true;
            for (Statement statement : running) {
                try {
                    statement.cancel();
                } catch (SQLException | RuntimeException e) {
                    // the statement ended meanwhile, or its connection broke: nothing left to stop
                }
            }
        }

        boolean passed() {
            return passed;
        }

        void started(Statement statement) {
            running.add(statement);
            if (passed) {
                pass();
            }
        }

        void ended(Statement statement) {
            running.remove(statement);
        }
    }

    @Bean
    ExecuteListenerProvider statementDeadline() {
        return new DefaultExecuteListenerProvider(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                Deadline deadline = DEADLINE.get();
                if (deadline == null || ctx.statement() == null) {
                    return;
                }
                if (deadline.passed()) {
                    throw new QueryTimeoutException("The request's time limit has passed.");
                }
                deadline.started(ctx.statement());
            }

            @Override
            public void executeEnd(ExecuteContext ctx) {
                Deadline deadline = DEADLINE.get();
                if (deadline != null && ctx.statement() != null) {
                    deadline.ended(ctx.statement());
                }
            }

            @Override
            public void exception(ExecuteContext ctx) {
                Deadline deadline = DEADLINE.get();
                if (deadline == null || ctx.statement() == null) {
                    return;
                }
                deadline.ended(ctx.statement());
                if (deadline.passed()) {
                    ctx.exception(new QueryTimeoutException("The request's time limit has passed.", ctx.sqlException()));
                }
            }
        });
    }
}
