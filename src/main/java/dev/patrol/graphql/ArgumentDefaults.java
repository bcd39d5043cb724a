package dev.patrol.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironmentImpl;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

/**
 * An explicit {@code null} for an argument or input field that has a default means that default. GraphQL itself
 * passes the null on (a client may mean "no value"), but every default in Patrol's schema is the value the
 * resolver needs, so a null there reached the resolvers as a null they never expect.
 */
@Component
class ArgumentDefaults extends SimplePerformantInstrumentation {

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        if (parameters.isTrivialDataFetcher()) {
            return fetcher;
        }
        List<GraphQLArgument> arguments = parameters.getExecutionStepInfo().getFieldDefinition().getArguments();
        if (arguments.isEmpty()) {
            return fetcher;
        }
        return env -> {
            Map<String, Object> values = withDefaults(arguments, env.getArguments());
            return fetcher.get(values == env.getArguments() ? env
                    : DataFetchingEnvironmentImpl.newDataFetchingEnvironment(env).arguments(values).build());
        };
    }

    /** The arguments with each explicit null that has a default replaced; the same map when nothing changed. */
    private static Map<String, Object> withDefaults(List<GraphQLArgument> arguments, Map<String, Object> values) {
        Map<String, Object> result = values;
        for (GraphQLArgument argument : arguments) {
            String name = argument.getName();
            if (!values.containsKey(name)) {
                continue;
            }
            Object value = values.get(name);
            Object replaced = value == null && argument.hasSetDefaultValue()
                    ? GraphQLArgument.getArgumentDefaultValue(argument)
                    : withDefaults(argument.getType(), value);
            if (replaced != value) {
                if (result == values) {
                    result = new LinkedHashMap<>(values);
                }
                result.put(name, replaced);
            }
        }
        return result;
    }

    /** The value with defaults filled in inside input objects, or the same value when nothing changed. */
    private static Object withDefaults(GraphQLInputType type, Object value) {
        GraphQLType unwrapped = GraphQLTypeUtil.unwrapNonNull(type);
        if (value instanceof List<?> list && unwrapped instanceof GraphQLList listType) {
            List<Object> result = null;
            for (int i = 0; i < list.size(); i++) {
                Object item = withDefaults((GraphQLInputType) listType.getWrappedType(), list.get(i));
                if (item != list.get(i)) {
                    result = result == null ? new ArrayList<>(list) : result;
                    result.set(i, item);
                }
            }
            return result == null ? value : result;
        }
        if (value instanceof Map<?, ?> map && unwrapped instanceof GraphQLInputObjectType inputType) {
            Map<String, Object> result = null;
            for (GraphQLInputObjectField field : inputType.getFieldDefinitions()) {
                String name = field.getName();
                if (!map.containsKey(name)) {
                    continue;
                }
                Object fieldValue = map.get(name);
                Object replaced = fieldValue == null && field.hasSetDefaultValue()
                        ? GraphQLInputObjectField.getInputFieldDefaultValue(field)
                        : withDefaults(field.getType(), fieldValue);
                if (replaced != fieldValue) {
                    if (result == null) {
                        result = new LinkedHashMap<>(stringKeys(map));
                    }
                    result.put(name, replaced);
                }
            }
            return result == null ? value : result;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
