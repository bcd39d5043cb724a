package dev.patrol.graphql;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.patrol.shared.Caller;
import dev.patrol.shared.PageRequest;
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
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.validation.ValidationError;

/**
 * Enforces {@link GraphQlLimits} before anything executes: query length before parsing, operations and aliases
 * before validation, depth and complexity before the operation runs. A request over a limit gets one error with
 * {@code extensions.code} ({@code QUERY_TOO_LARGE}, {@code TOO_MANY_OPERATIONS}, {@code TOO_MANY_ALIASES},
 * {@code QUERY_TOO_DEEP}, {@code QUERY_TOO_COMPLEX}) and no data.
 *
 * <p>Complexity counts one per selected field, as graphql-java does by default; introspection fields count
 * nothing, so GraphiQL's schema query always fits. Beside it, a node estimate bounds what a request can make the
 * server fetch, as GitHub's node limit does: each connection counts its page size ({@code first}/{@code last},
 * default 20) times the page sizes of the connections it sits in. Every other object, the connection itself
 * included, counts one per time it can appear, so thirty aliases of {@code owner} under a page are counted as the
 * thirty objects each token brings, and a connection under a page of 100 users as the 100 queries it costs; a
 * connection's {@code nodes}, {@code edges}, {@code node} and {@code pageInfo} are its page, not counted again.
 * A field marked {@code @cost(nodes: N)} in the schema (a count or an aggregate: a scan rather than rows) counts N
 * each time, and so does a field given an input field so marked (a filter that makes the page a scan). Both
 * figures are kept in the GraphQL context for {@code queryComplexity}.
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
        long nodes = measure.nodesFollowVariables() ? nodes(execution) : measure.nodes();
        if (nodes > limits.maxNodes()) {
            throw abort("QUERY_TOO_COMPLEX", "The query may fetch an estimated " + nodes + " nodes; the limit is "
                    + limits.maxNodes() + ". Ask for smaller pages (first, last) or fewer nested connections.");
        }
        context.put(COMPLEXITY_KEY, new QueryComplexity(maxComplexity, score, limits.maxNodes(), (int) nodes));
        return SimpleInstrumentationContext.noOp();
    }

    /**
     * @param nodesFollowVariables whether the operation takes variables, which can set page sizes and filters, so
     *     the node estimate of the same text differs from one request to the next
     */
    private record Measure(int depth, int complexity, long nodes, boolean nodesFollowVariables) {
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
        return new Measure(depth(execution), complexity, nodes(execution), usesVariables(execution));
    }

    private static QueryTraverser traverser(ExecutionContext execution) {
        return QueryTraverser.newQueryTraverser()
                .schema(execution.getGraphQLSchema())
                .document(execution.getDocument())
                .operationName(execution.getExecutionInput().getOperationName())
                .coercedVariables(execution.getCoercedVariables())
                .build();
    }

    private static long nodes(ExecutionContext execution) {
        return traverser(execution).reducePreOrder((env, sum) -> saturatedSum(sum, nodes(env)), 0L);
    }

    /** The nodes one field adds: its page, or the object it is, plus its declared cost, times its occurrences. */
    private static long nodes(QueryVisitorFieldEnvironment env) {
        if (env.isTypeNameIntrospectionField() || env.getField().getName().startsWith("__")
                || GraphQLTypeUtil.unwrapAll(env.getParentType()).getName().startsWith("__")) {
            return 0;
        }
        GraphQLFieldDefinition definition = env.getFieldDefinition();
        long own = 0;
        if (isPage(definition)) {
            // a connection is one object more than its page: one more query for every parent it sits under
            own = pageSize(env) + (isList(definition.getType()) ? 0 : 1);
        } else if (isComposite(definition.getType()) && !isConnectionWrapper(env)) {
            own = 1;
        }
        var cost = definition.getAppliedDirective("cost");
        if (cost != null) {
            own = saturatedSum(own, cost.getArgument("nodes").<Integer>getValue());
        }
        own = saturatedSum(own, argumentCost(env));
        return saturatedProduct(own, occurrences(env));
    }

    /** How many times the field can appear in the response: the page sizes of the lists it sits in. */
    private static long occurrences(QueryVisitorFieldEnvironment env) {
        long occurrences = 1;
        for (var parent = env.getParentEnvironment(); parent != null; parent = parent.getParentEnvironment()) {
            occurrences = saturatedProduct(occurrences, itemsOf(parent));
        }
        return occurrences;
    }

    /** The items a field's list holds: its own page size, or its connection's for {@code nodes} and {@code edges}. */
    private static long itemsOf(QueryVisitorFieldEnvironment env) {
        if (!isList(env.getFieldDefinition().getType())) {
            return 1;
        }
        if (isPage(env.getFieldDefinition())) {
            return pageSize(env);
        }
        var connection = env.getParentEnvironment();
        return connection != null && isPage(connection.getFieldDefinition()) ? pageSize(connection) : 1;
    }

    private static boolean isPage(GraphQLFieldDefinition definition) {
        return definition.getArgument("first") != null || definition.getArgument("last") != null;
    }

    private static long pageSize(QueryVisitorFieldEnvironment env) {
        Object first = env.getArguments().get("first");
        Object last = env.getArguments().get("last");
        int size = first instanceof Integer f ? f : last instanceof Integer l ? l : PageRequest.DEFAULT_SIZE;
        if (first instanceof Integer f && last instanceof Integer l) {
            size = Math.max(f, l);
        }
        return Math.max(0, size);
    }

    /** A connection's fields and an edge's node are the connection's page, already counted by its size. */
    private static boolean isConnectionWrapper(QueryVisitorFieldEnvironment env) {
        var parent = env.getParentEnvironment();
        if (parent == null) {
            return false;
        }
        boolean inConnection = isPage(parent.getFieldDefinition()) && !isList(parent.getFieldDefinition().getType());
        return inConnection || GraphQLTypeUtil.unwrapAll(env.getParentType()).getName().endsWith("Edge");
    }

    private static boolean isList(GraphQLOutputType type) {
        return GraphQLTypeUtil.unwrapNonNull(type) instanceof GraphQLList;
    }

    private static boolean isComposite(GraphQLOutputType type) {
        GraphQLType unwrapped = GraphQLTypeUtil.unwrapAll(type);
        return !GraphQLTypeUtil.isLeaf(unwrapped);
    }

    /** Scans a field's arguments ask for, such as an inventory filter on last-used addresses. */
    private static long argumentCost(QueryVisitorFieldEnvironment env) {
        long cost = 0;
        for (GraphQLArgument argument : env.getFieldDefinition().getArguments()) {
            if (GraphQLTypeUtil.unwrapNonNull(argument.getType()) instanceof GraphQLInputObjectType input
                    && env.getArguments().get(argument.getName()) instanceof Map<?, ?> values) {
                for (GraphQLInputObjectField field : input.getFieldDefinitions()) {
                    var fieldCost = field.getAppliedDirective("cost");
                    if (fieldCost != null && values.get(field.getName()) != null) {
                        cost = saturatedSum(cost, fieldCost.getArgument("nodes").<Integer>getValue());
                    }
                }
            }
        }
        return cost;
    }

    private static boolean usesVariables(ExecutionContext execution) {
        return !execution.getOperationDefinition().getVariableDefinitions().isEmpty();
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatedProduct(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private static int fieldComplexity(FieldComplexityEnvironment env, int childComplexity) {
        boolean introspection = env.getField().getName().startsWith("__")
                || env.getParentType().getName().startsWith("__");
        return introspection ? 0 : 1 + childComplexity;
    }

    private static int depth(ExecutionContext execution) {
        return traverser(execution).reducePreOrder((env, max) -> Math.max(max, levels(env)), 0);
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
