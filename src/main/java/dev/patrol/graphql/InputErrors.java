package dev.patrol.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.NonNullableValueCoercedAsNullException;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.validation.ValidationError;
import graphql.validation.ValidationErrorType;

/**
 * Errors about the values a request sends (a literal or variable that does not fit its type) get
 * {@code extensions.code: BAD_USER_INPUT} and a plain message: graphql-java's name the AST
 * ({@code IntValue{value=20270101}}) or the JSON value's Java class ({@code 'Integer'}), and repeat the whole
 * value. Other validation errors get {@code GRAPHQL_VALIDATION_FAILED}; every message is cut to
 * {@value #MAX_MESSAGE} characters.
 */
@Component
class InputErrors extends SimplePerformantInstrumentation {

    static final int MAX_MESSAGE = 400;

    /** graphql-java's ArgumentValidationUtil messages: the argument, its value, then what is wrong. */
    private static final Pattern ARGUMENT = Pattern.compile("Validation error \\(\\w+@\\[[^]]*]\\) : argument '([^']*)'"
            + " with value '(.*)' (?:is not a valid '([^']+)'(?: - (.*))?|(must not be null)|(must be an object type)"
            + "|is missing required fields '(.*)'|contains a field not in '([^']+)': '(.*)')", Pattern.DOTALL);
    /** A literal as graphql-java prints it, when it is a single value. */
    private static final Pattern SIMPLE_LITERAL = Pattern.compile(
            "(?:String|Int|Float|Boolean|Enum)Value\\{(?:value|name)='?(.*?)'?}", Pattern.DOTALL);
    private static final Pattern AST_TYPES = Pattern.compile(
            "Expected an? AST type (?:of )?'(\\w+)' but (?:it )?was an? '(\\w+)'.*", Pattern.DOTALL);
    /** graphql-java's scalar messages end with the Java class of the JSON value: {@code but it was a 'Integer'}. */
    private static final Pattern JAVA_CLASS = Pattern.compile("but (?:it )?was (?:an? )?'([\\w.$]+)'");
    /** Any other fully qualified Java class name, e.g. {@code 'java.time.temporal.TemporalAccessor'}. */
    private static final Pattern QUALIFIED_CLASS = Pattern.compile("'?\\b(?:java|javax|jakarta|graphql|dev)\\.[\\w.$]+'?");
    private static final Map<String, String> BUILT_IN = Map.of(
            "Int", "a whole number from -2147483648 to 2147483647", "Float", "a number", "String", "a string",
            "ID", "a string", "Boolean", "true or false");

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
            InstrumentationExecutionParameters parameters, InstrumentationState state) {
        if (result.getErrors().isEmpty()) {
            return CompletableFuture.completedFuture(result);
        }
        List<GraphQLError> errors = result.getErrors().stream()
                .map(error -> plain(error, parameters.getSchema())).toList();
        return CompletableFuture.completedFuture(result.transform(builder -> builder.errors(errors)));
    }

    private static GraphQLError plain(GraphQLError error, GraphQLSchema schema) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        String code = null;
        if (error instanceof ValidationError validation) {
            Matcher argument = ARGUMENT.matcher(message);
            if (validation.getValidationErrorType() == ValidationErrorType.WrongType && argument.matches()) {
                message = argumentMessage(argument, schema);
                code = "BAD_USER_INPUT";
            } else {
                code = "GRAPHQL_VALIDATION_FAILED";
            }
        } else if (error instanceof CoercingParseValueException || error instanceof NonNullableValueCoercedAsNullException) {
            message = withoutJavaClasses(message);
            code = "BAD_USER_INPUT";
        }
        boolean unchanged = message.equals(error.getMessage()) && message.length() <= MAX_MESSAGE
                && (code == null || hasCode(error));
        if (unchanged) {
            return error;
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (error.getExtensions() != null) {
            extensions.putAll(error.getExtensions());
        }
        if (code != null) {
            extensions.putIfAbsent("code", code);
        }
        GraphqlErrorBuilder<?> builder = GraphqlErrorBuilder.newError()
                .message(cut(message))
                .errorType(error.getErrorType() == null ? ErrorType.ValidationError : error.getErrorType())
                .extensions(extensions);
        if (error.getLocations() != null) {
            builder.locations(error.getLocations());
        }
        if (error.getPath() != null) {
            builder.path(error.getPath());
        }
        return builder.build();
    }

    private static String argumentMessage(Matcher m, GraphQLSchema schema) {
        String argument = "Argument '" + m.group(1) + "'";
        String value = m.group(2);
        if (m.group(3) == null) {
            if (m.group(5) != null) {
                return argument + " must not be null.";
            }
            if (m.group(6) != null) {
                return argument + " must be an input object.";
            }
            if (m.group(7) != null) {
                return argument + " is missing required fields " + m.group(7) + ".";
            }
            return argument + " has a field '" + m.group(9) + "' that " + m.group(8) + " does not have.";
        }
        String typeName = m.group(3);
        String reason = m.group(4);
        Matcher simple = SIMPLE_LITERAL.matcher(value);
        String quoted = simple.matches() ? DateInput.quote(simple.group(1)) : "The value";
        GraphQLType type = schema.getType(typeName);
        if (type instanceof GraphQLEnumType enumType) {
            reason = quoted + " is not one of " + enumType.getValues().stream()
                    .map(GraphQLEnumValueDefinition::getName).collect(Collectors.joining(", ")) + ".";
        } else if (BUILT_IN.containsKey(typeName) || reason == null) {
            Matcher ast = reason == null ? null : AST_TYPES.matcher(reason);
            reason = ast != null && ast.matches()
                    ? "expected " + BUILT_IN.getOrDefault(typeName, astKind(ast.group(1))) + ", got "
                            + astKind(ast.group(2)) + (simple.matches() ? " " + quoted : "") + "."
                    : quoted + " is not " + BUILT_IN.getOrDefault(typeName, "valid") + ".";
        }
        return argument + " is not a valid " + typeName + ": " + withoutJavaClasses(reason);
    }

    private static String astKind(String astType) {
        return switch (astType) {
            case "StringValue" -> "a string";
            case "IntValue" -> "a whole number";
            case "FloatValue" -> "a number";
            case "BooleanValue" -> "true or false";
            case "EnumValue" -> "an enum value";
            case "ObjectValue" -> "an object";
            case "ArrayValue" -> "a list";
            case "NullValue" -> "null";
            default -> "another kind of value";
        };
    }

    /** Names the JSON kind of value where graphql-java names its Java class. */
    private static String withoutJavaClasses(String message) {
        String named = JAVA_CLASS.matcher(message).replaceAll(m -> "but it was " + jsonKind(m.group(1)));
        return QUALIFIED_CLASS.matcher(named).replaceAll("another kind of value");
    }

    private static String jsonKind(String javaClass) {
        String name = javaClass.substring(javaClass.lastIndexOf('.') + 1);
        if (name.equals("String")) {
            return "a string";
        }
        if (name.equals("Boolean")) {
            return "true or false";
        }
        if (name.matches("Integer|Long|Short|Byte|BigInteger|Double|Float|BigDecimal|-?[0-9.eE+-]+")) {
            return "a number";
        }
        if (name.endsWith("Map")) {
            return "an object";
        }
        if (name.endsWith("List") || name.endsWith("Set") || name.endsWith("Collection")) {
            return "a list";
        }
        return "another kind of value";
    }

    private static boolean hasCode(GraphQLError error) {
        return error.getExtensions() != null && error.getExtensions().containsKey("code");
    }

    static String cut(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
