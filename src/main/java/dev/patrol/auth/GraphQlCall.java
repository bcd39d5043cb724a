package dev.patrol.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.patrol.shared.GlobalId;
import dev.patrol.shared.PatrolException;
import dev.patrol.token.AccessToken;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.parser.InvalidSyntaxException;

/**
 * A GraphQL request, as far as scopes care: read or write. Read from the GraphQL document before anything runs; a
 * document that does not parse counts as a read (GraphQL refuses it before executing it).
 */
record GraphQlCall(Kind kind, Document document, String operationName, Map<String, Object> variables)
        implements ApiCall {

    static final String SELF_ROTATE_MUTATION = "accessTokenRotate";
    /** The mutations that rotate a token: a revoked value presented on one of them is reuse (GitLab's rule). */
    static final Set<String> ROTATE_MUTATIONS = Set.of(SELF_ROTATE_MUTATION, "credentialRotate");

    static GraphQlCall read() {
        return new GraphQlCall(Kind.READ, null, null, Map.of());
    }

    /** Any mutation or subscription in the document makes the request a write, whichever operation is named. */
    static GraphQlCall of(String query, String operationName, Map<String, Object> variables, int maxLength,
            Function<String, Document> parser) {
        if (query == null || query.length() > maxLength) {
            return read();
        }
        Document document;
        try {
            document = parser.apply(query);
        } catch (InvalidSyntaxException e) {
            return read();
        }
        boolean writes = document.getDefinitionsOfType(OperationDefinition.class).stream()
                .anyMatch(op -> op.getOperation() != OperationDefinition.Operation.QUERY);
        return new GraphQlCall(writes ? Kind.WRITE : Kind.READ, document, operationName,
                variables == null ? Map.of() : variables);
    }

    /**
     * Whether the operation GraphQL would execute is a mutation that rotates a token (any id, under any alias,
     * directly or through fragments).
     */
    @Override
    public boolean rotates() {
        OperationDefinition op = executedOperation();
        return op != null && op.getOperation() == OperationDefinition.Operation.MUTATION
                && rootFieldNames(op.getSelectionSet(), new HashSet<>()).anyMatch(ROTATE_MUTATIONS::contains);
    }

    /** The named operation, or the only one; null when GraphQL would refuse to pick one. */
    private OperationDefinition executedOperation() {
        if (document == null) {
            return null;
        }
        List<OperationDefinition> ops = document.getDefinitionsOfType(OperationDefinition.class);
        if (operationName == null || operationName.isEmpty()) {
            return ops.size() == 1 ? ops.getFirst() : null;
        }
        return ops.stream().filter(op -> operationName.equals(op.getName())).findFirst().orElse(null);
    }

    private Stream<String> rootFieldNames(SelectionSet selections, Set<String> fragmentsSeen) {
        if (selections == null) {
            return Stream.empty();
        }
        return selections.getSelections().stream().flatMap(selection -> switch (selection) {
            case Field field -> Stream.of(field.getName());
            case InlineFragment inline -> rootFieldNames(inline.getSelectionSet(), fragmentsSeen);
            case FragmentSpread spread when fragmentsSeen.add(spread.getName()) ->
                    document.getDefinitionsOfType(FragmentDefinition.class).stream()
                            .filter(f -> f.getName().equals(spread.getName()))
                            .flatMap(f -> rootFieldNames(f.getSelectionSet(), fragmentsSeen));
            default -> Stream.empty();
        });
    }

    /**
     * Whether this is exactly one mutation with exactly one field, {@code accessTokenRotate}, whose
     * {@code input.id} is the given token: the one thing a token with only {@code self_rotate} may do.
     */
    @Override
    public boolean isSelfRotationOf(AccessToken token) {
        if (document == null || document.getDefinitions().size() != 1
                || !(document.getDefinitions().getFirst() instanceof OperationDefinition op)
                || op.getOperation() != OperationDefinition.Operation.MUTATION
                || op.getSelectionSet().getSelections().size() != 1
                || !(op.getSelectionSet().getSelections().getFirst() instanceof Field field)
                || !SELF_ROTATE_MUTATION.equals(field.getName())) {
            return false;
        }
        return inputId(field.getArguments()) instanceof String id && isIdOf(id, token);
    }

    /** Token ids are unique across types, so the number decides; the resolver checks the type name. */
    private static boolean isIdOf(String globalId, AccessToken token) {
        try {
            return GlobalId.parse(globalId).id() == token.id();
        } catch (PatrolException notAnId) {
            return false;
        }
    }

    private Object inputId(List<Argument> arguments) {
        for (Argument argument : arguments) {
            if (argument.getName().equals("input")) {
                Object input = resolve(argument.getValue());
                if (input instanceof ObjectValue object) {
                    return object.getObjectFields().stream().filter(f -> f.getName().equals("id"))
                            .map(ObjectField::getValue).map(this::resolve).findFirst()
                            .map(v -> v instanceof StringValue s ? s.getValue() : v).orElse(null);
                }
                if (input instanceof Map<?, ?> map) {
                    return map.get("id");
                }
            }
        }
        return null;
    }

    private Object resolve(Value<?> value) {
        return value instanceof VariableReference ref ? variables.get(ref.getName()) : value;
    }
}
