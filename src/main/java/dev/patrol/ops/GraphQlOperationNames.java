package dev.patrol.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.graphql.observation.DefaultExecutionRequestObservationConvention;
import org.springframework.graphql.observation.ExecutionRequestObservationContext;
import org.springframework.stereotype.Component;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * GraphQL request timings ({@code graphql.request}) per operation name. Clients choose the names, so a tag per name
 * would let any client grow the scrape without bound: the first {@value #MAX_NAMES} names this instance sees are
 * kept, every later one (and anything that is not a GraphQL name) counts as {@code other}; an unnamed operation is
 * {@code anonymous}.
 */
@Component
class GraphQlOperationNames extends DefaultExecutionRequestObservationConvention {

    static final int MAX_NAMES = 100;
    static final String KEY = "graphql.operation.name";
    private static final Pattern NAME = Pattern.compile("[_A-Za-z][_0-9A-Za-z]{0,99}");

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    @Override
    public KeyValues getLowCardinalityKeyValues(ExecutionRequestObservationContext context) {
        return super.getLowCardinalityKeyValues(context).and(KeyValue.of(KEY, tagFor(name(context))));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ExecutionRequestObservationContext context) {
        return KeyValues.of(executionId(context));
    }

    String tagFor(String name) {
        if (name == null || name.isEmpty()) {
            return "anonymous";
        }
        if (!NAME.matcher(name).matches()) {
            return "other";
        }
        if (seen.contains(name)) {
            return name;
        }
        synchronized (seen) {
            if (seen.size() < MAX_NAMES) {
                seen.add(name);
                return name;
            }
        }
        return seen.contains(name) ? name : "other";
    }

    private static String name(ExecutionRequestObservationContext context) {
        if (context.getExecutionContext() != null && context.getExecutionContext().getOperationDefinition() != null) {
            return context.getExecutionContext().getOperationDefinition().getName();
        }
        return context.getExecutionInput().getOperationName();
    }
}
