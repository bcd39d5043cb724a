package dev.patrol.ops;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.OperationDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * GraphQL request timings, {@code graphql.request}, with the tags of spring-graphql's observation ({@code error},
 * {@code graphql.operation.name}, {@code graphql.operation.type}, {@code graphql.outcome}).
 *
 * <p>spring-graphql's own instrumentation (its auto-configuration is excluded in application.yml) records the same
 * timer through a Micrometer observation: a context, a scope propagated through Reactor, a long task timer and a meter
 * look-up per request. That cost a third of a warm request (issue 17's A/B), on the path the performance budget
 * measures. Here a request costs one {@link System#nanoTime()} pair and a look-up in a small map of timers.
 *
 * <p>Clients choose operation names, so a tag per name would let any client grow the scrape without bound: the first
 * {@value #MAX_NAMES} names this instance sees are kept, every later one (and anything that is not a GraphQL name)
 * counts as {@code other}; an unnamed operation is {@code anonymous}.
 */
@Component
class GraphQlRequestTimer extends SimplePerformantInstrumentation {

    static final int MAX_NAMES = 100;
    private static final Pattern NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]{0,99}");

    private final MeterRegistry registry;
    private final Set<String> seenNames = ConcurrentHashMap.newKeySet();
    private final Map<Tags, Timer> timers = new ConcurrentHashMap<>();

    GraphQlRequestTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    private record Tags(String error, String name, String type, String outcome) {}

    /** What one request learns along the way: its operation, once graphql-java has chosen it. */
    private static final class Request implements InstrumentationState {
        final long start = System.nanoTime();
        volatile OperationDefinition operation;
    }

    @Override
    public InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
        return new Request();
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        ((Request) state).operation = parameters.getExecutionContext().getOperationDefinition();
        return SimpleInstrumentationContext.noOp();
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecution(
            InstrumentationExecutionParameters parameters, InstrumentationState state) {
        Request request = (Request) state;
        return SimpleInstrumentationContext.whenCompleted((result, failure) -> {
            OperationDefinition operation = request.operation;
            Tags tags = new Tags(
                    failure == null ? "none" : failure.getClass().getSimpleName(),
                    tagFor(operation != null ? operation.getName() : parameters.getOperation()),
                    operation != null ? operation.getOperation().name().toLowerCase(Locale.ROOT) : "query",
                    outcome(result, failure));
            timers.computeIfAbsent(tags, this::timer).record(System.nanoTime() - request.start, TimeUnit.NANOSECONDS);
        });
    }

    private Timer timer(Tags tags) {
        return Timer.builder("graphql.request")
                .description("Time of GraphQL requests")
                .tag("error", tags.error())
                .tag("graphql.operation.name", tags.name())
                .tag("graphql.operation.type", tags.type())
                .tag("graphql.outcome", tags.outcome())
                .register(registry);
    }

    private static String outcome(ExecutionResult result, Throwable failure) {
        if (failure != null || result == null) {
            return "INTERNAL_ERROR";
        }
        if (result.getErrors().isEmpty()) {
            return "SUCCESS";
        }
        return result.getErrors().stream().anyMatch(error -> ErrorType.INTERNAL_ERROR.equals(error.getErrorType()))
                ? "INTERNAL_ERROR" : "REQUEST_ERROR";
    }

    String tagFor(String name) {
        if (name == null || name.isEmpty()) {
            return "anonymous";
        }
        if (!NAME.matcher(name).matches()) {
            return "other";
        }
        if (seenNames.contains(name)) {
            return name;
        }
        synchronized (seenNames) {
            if (seenNames.size() < MAX_NAMES) {
                seenNames.add(name);
                return name;
            }
        }
        return seenNames.contains(name) ? name : "other";
    }
}
