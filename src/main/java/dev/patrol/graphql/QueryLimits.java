package dev.patrol.graphql;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.patrol.auth.Caller;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.analysis.FieldComplexityEnvironment;
import graphql.analysis.QueryComplexityCalculator;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.validation.ValidationError;

/**
 * Enforces {@link GraphQlLimits} before anything executes: query length before parsing, operations and aliases
 * before validation, depth and complexity before the operation runs. A request over a limit gets one error with
 * {@code extensions.code} ({@code QUERY_TOO_LARGE}, {@code TOO_MANY_OPERATIONS}, {@code TOO_MANY_ALIASES},
 * {@code QUERY_TOO_DEEP}, {@code QUERY_TOO_COMPLEX}) and no data.
 *
 * <p>Complexity counts one per selected field, as graphql-java does by default; introspection fields count
 * nothing, so GraphiQL's schema query always fits. The score is kept in the GraphQL context for
 * {@code queryComplexity}.
 */
@Component
class QueryLimits extends SimplePerformantInstrumentation {

    /** GraphQL context key of this request's {@link QueryComplexity}. */
    static final String COMPLEXITY_KEY = "patrol.queryComplexity";

    private final GraphQlLimits limits;
    private final Cache<String, Measure> measures = Caffeine.newBuilder().maximumSize(1_000).build();

    QueryLimits(GraphQlLimits limits) {
        this.limits = limits;
    }

    @Override
    public InstrumentationContext<graphql.ExecutionResult> beginExecution(InstrumentationExecutionParameters parameters,
            InstrumentationState state) {
        String query = parameters.getQuery();
        if (query != null && query.length() > limits.maxQueryLength()) {
            throw abort("QUERY_TOO_LARGE", "The query is " + query.length() + " characters long; the limit is "
                    + limits.maxQueryLength() + ".");
        }
        return SimpleInstrumentationContext.noOp();
    }

    @Override
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
            InstrumentationState state) {
        Document document = parameters.getDocument();
        int operations = document.getDefinitionsOfType(OperationDefinition.class).size();
        if (operations > limits.maxOperations()) {
            throw abort("TOO_MANY_OPERATIONS", "The document has " + operations + " operations; send at most "
                    + limits.maxOperations() + " per request.");
        }
        int aliases = 0;
        for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
            aliases += aliases(operation.getSelectionSet());
        }
        for (FragmentDefinition fragment : document.getDefinitionsOfType(FragmentDefinition.class)) {
            aliases += aliases(fragment.getSelectionSet());
        }
        if (aliases > limits.maxAliases()) {
            throw abort("TOO_MANY_ALIASES", "The query uses " + aliases + " aliases; the limit is "
                    + limits.maxAliases() + ".");
        }
        return SimpleInstrumentationContext.noOp();
    }

    @Override
    public InstrumentationContext<graphql.ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        GraphQLContext context = execution.getGraphQLContext();
        Caller caller = context.get(Caller.KEY);
        int maxDepth = caller == null ? limits.maxDepth() : limits.maxDepthAuthenticated();
        Measure measure = measure(execution);
        int depth = measure.depth();
        if (depth > maxDepth) {
            throw abort("QUERY_TOO_DEEP", "The query is " + depth + " levels deep; the limit is " + maxDepth + ".");
        }
        int maxComplexity = caller != null && caller.isAdmin() ? limits.maxComplexityAdmin() : limits.maxComplexity();
        int score = measure.complexity();
        if (score > maxComplexity) {
            throw abort("QUERY_TOO_COMPLEX", "The query has a complexity of " + score + "; the limit is "
                    + maxComplexity + ".");
        }
        context.put(COMPLEXITY_KEY, new QueryComplexity(maxComplexity, score));
        return SimpleInstrumentationContext.noOp();
    }

    private record Measure(int depth, int complexity) {
    }

    /**
     * The depth and complexity of the operation, kept per query text and operation name: front ends repeat the same
     * few queries, and walking each twice per request showed up in the warm authentication path's profile. Only
     * {@code @skip} and {@code @include} make them depend on variables; such queries are measured every time.
     */
    private Measure measure(ExecutionContext execution) {
        String query = execution.getExecutionInput().getQuery();
        if (query.contains("@skip") || query.contains("@include")) {
            return measureNow(execution);
        }
        return measures.get(execution.getExecutionInput().getOperationName() + '\u0000' + query,
                key -> measureNow(execution));
    }

    private static Measure measureNow(ExecutionContext execution) {
        int complexity = QueryComplexityCalculator.newCalculator()
                .fieldComplexityCalculator(QueryLimits::fieldComplexity)
                .schema(execution.getGraphQLSchema())
                .document(execution.getDocument())
                .operationName(execution.getExecutionInput().getOperationName())
                .variables(execution.getCoercedVariables())
                .build()
                .calculate();
        return new Measure(depth(execution), complexity);
    }

    private static int fieldComplexity(FieldComplexityEnvironment env, int childComplexity) {
        boolean introspection = env.getField().getName().startsWith("__")
                || env.getParentType().getName().startsWith("__");
        return introspection ? 0 : 1 + childComplexity;
    }

    private static int depth(ExecutionContext execution) {
        return QueryTraverser.newQueryTraverser()
                .schema(execution.getGraphQLSchema())
                .document(execution.getDocument())
                .operationName(execution.getExecutionInput().getOperationName())
                .coercedVariables(execution.getCoercedVariables())
                .build()
                .reducePreOrder((env, max) -> Math.max(max, levels(env)), 0);
    }

    private static int levels(QueryVisitorFieldEnvironment env) {
        int levels = 1;
        for (var parent = env.getParentEnvironment(); parent != null; parent = parent.getParentEnvironment()) {
            levels++;
        }
        return levels;
    }

    private static int aliases(SelectionSet selections) {
        if (selections == null) {
            return 0;
        }
        int count = 0;
        for (var selection : selections.getSelections()) {
            if (selection instanceof Field field) {
                count += (field.getAlias() != null ? 1 : 0) + aliases(field.getSelectionSet());
            } else if (selection instanceof InlineFragment fragment) {
                count += aliases(fragment.getSelectionSet());
            }
        }
        return count;
    }

    private static AbortExecutionException abort(String code, String message) {
        return new AbortExecutionException(List.of(GraphQLError.newError()
                .message(message)
                .extensions(Map.of("code", code))
                .build()));
    }
}
