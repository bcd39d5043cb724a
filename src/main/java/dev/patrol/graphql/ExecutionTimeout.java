package dev.patrol.graphql;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

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
 * cancels the execution so no further field is fetched, and the database statement still running is stopped by
 * its JDBC query timeout, set on every statement to the time the request has left.
 *
 * <p>The deadline travels in the GraphQL context under {@link #DEADLINE_KEY}; Spring GraphQL restores it as a
 * thread-local on whichever thread runs a data fetcher (context propagation), where the jOOQ listener reads it.
 * Work outside GraphQL (the streamed export, scheduled jobs) carries no deadline and is not limited.
 */
@Configuration(proxyBeanMethods = false)
class ExecutionTimeout implements WebGraphQlInterceptor {

    static final String DEADLINE_KEY = "patrol.executionDeadline";
    static final String CODE = "TIMEOUT";
    static final String MESSAGE = "The request ran past its time limit and was stopped. Ask for less (smaller pages,"
            + " fewer fields) or narrow the filter.";

    /** {@link System#nanoTime()} by which the current request must be done. */
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    static {
        ContextRegistry.getInstance().registerThreadLocalAccessor(DEADLINE_KEY, DEADLINE);
    }

    private final Duration timeout;

    ExecutionTimeout(GraphQlLimits limits) {
        this.timeout = limits.executionTimeout();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        long deadline = System.nanoTime() + timeout.toNanos();
        request.configureExecutionInput((input, builder) ->
                builder.graphQLContext(context -> context.put(DEADLINE_KEY, deadline)).build());
        return chain.next(request).timeout(timeout, Mono.fromSupplier(() -> timedOut(request)));
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

    @Bean
    ExecuteListenerProvider statementDeadline() {
        return new DefaultExecuteListenerProvider(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                Statement statement = ctx.statement();
                if (statement == null) {
                    return;
                }
                Long deadline = DEADLINE.get();
                try {
                    if (deadline == null) {
                        // H2 keeps a statement's timeout on its connection, which goes back to the pool
                        if (statement.getQueryTimeout() != 0) {
                            statement.setQueryTimeout(0);
                        }
                        return;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new QueryTimeoutException("The request's time limit has passed.");
                    }
                    // JDBC counts whole seconds; rounding up lets the request's own timeout answer first.
                    statement.setQueryTimeout((int) Math.ceil(left / 1e9));
                } catch (SQLException e) {
                    throw new QueryTimeoutException("The statement's time limit could not be set.", e);
                }
            }
        });
    }
}
