package dev.patrol.graphql;

import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ControllerAdvice;

import dev.patrol.database.DatabaseOutages;
import dev.patrol.shared.ErrorCode;
import dev.patrol.shared.PatrolException;
import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.execution.AbortExecutionException;
import graphql.schema.DataFetchingEnvironment;

/**
 * Maps exceptions to GraphQL errors with {@code extensions.code}. Domain errors keep their plain message;
 * anything else becomes {@code INTERNAL_ERROR} with an id to find it in the log, and nothing internal
 * (stack traces, SQL, class names) reaches the client.
 */
@ControllerAdvice
class ErrorHandling {

    private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);
    private static final ErrorClassification SERVICE_UNAVAILABLE =
            ErrorClassification.errorClassification(ErrorCode.SERVICE_UNAVAILABLE.name());

    private final DatabaseOutages outages;

    ErrorHandling(DatabaseOutages outages) {
        this.outages = outages;
    }

    @GraphQlExceptionHandler
    GraphQLError domain(PatrolException e, DataFetchingEnvironment env) {
        return GraphQLError.newError()
                .errorType(ErrorType.BAD_REQUEST)
                .message(e.getMessage())
                .path(env.getExecutionStepInfo().getPath())
                .location(env.getField().getSourceLocation())
                .extensions(Map.of("code", e.code().name()))
                .build();
    }

    /**
     * A database that cannot be used now is {@code SERVICE_UNAVAILABLE}, classified so too: a client that reads the
     * classification must not take a failed-over database node for a bug. Other database errors stay opaque.
     */
    @GraphQlExceptionHandler({DataAccessException.class, TransactionException.class,
            org.jooq.exception.DataAccessException.class})
    GraphQLError database(Exception e, DataFetchingEnvironment env) {
        return outages.messageFor(e)
                .map(message -> GraphQLError.newError()
                        .errorType(SERVICE_UNAVAILABLE)
                        .message(message)
                        .path(env.getExecutionStepInfo().getPath())
                        .location(env.getField().getSourceLocation())
                        .extensions(Map.of("code", ErrorCode.SERVICE_UNAVAILABLE.name()))
                        .build())
                .orElseGet(() -> unexpected(e, env));
    }

    /**
     * A statement stopped by the request's time limit, or a field the cancelled execution did not fetch: the client
     * already has its {@code TIMEOUT} answer ({@link ExecutionTimeout}), so nothing is logged.
     */
    @GraphQlExceptionHandler({QueryTimeoutException.class, AbortExecutionException.class})
    GraphQLError timeout(Exception e, DataFetchingEnvironment env) {
        return GraphQLError.newError()
                .errorType(graphql.ErrorType.ExecutionAborted)
                .message(ExecutionTimeout.MESSAGE)
                .path(env.getExecutionStepInfo().getPath())
                .extensions(Map.of("code", ExecutionTimeout.CODE))
                .build();
    }

    @GraphQlExceptionHandler
    GraphQLError unexpected(Exception e, DataFetchingEnvironment env) {
        String id = UUID.randomUUID().toString();
        log.error("Unexpected error {} in {}", id, env.getExecutionStepInfo().getPath(), e);
        return GraphQLError.newError()
                .errorType(ErrorType.INTERNAL_ERROR)
                .message("Internal error; report id " + id + " to an administrator.")
                .path(env.getExecutionStepInfo().getPath())
                .extensions(Map.of("code", "INTERNAL_ERROR", "errorId", id))
                .build();
    }
}
