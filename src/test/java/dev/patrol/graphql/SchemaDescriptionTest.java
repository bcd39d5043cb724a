package dev.patrol.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;

import dev.patrol.support.PatrolTest;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;

/**
 * The schema is the front ends' documentation: every type, field, argument, input field and enum value says what
 * it is (GraphQL linters' {@code types-have-descriptions}, {@code fields-have-descriptions} and
 * {@code arguments-have-descriptions}).
 */
@PatrolTest
class SchemaDescriptionTest {

    private static final Set<String> BUILT_IN = Set.of("String", "Int", "Float", "Boolean", "ID");

    @Autowired GraphQlSource graphQlSource;

    @Test
    void everyTypeAndFieldHasADescription() {
        List<String> missing = new ArrayList<>();
        for (GraphQLNamedType type : graphQlSource.schema().getAllTypesAsList()) {
            if (type.getName().startsWith("__") || BUILT_IN.contains(type.getName())) {
                continue;
            }
            if (blank(type.getDescription())) {
                missing.add(type.getName());
            }
            if (type instanceof GraphQLFieldsContainer container) {
                container.getFieldDefinitions().stream().filter(f -> blank(f.getDescription()))
                        .forEach(f -> missing.add(type.getName() + "." + f.getName()));
                container.getFieldDefinitions().forEach(f -> f.getArguments().stream()
                        .filter(a -> blank(a.getDescription()))
                        .forEach(a -> missing.add(type.getName() + "." + f.getName() + "(" + a.getName() + ")")));
            }
            if (type instanceof GraphQLInputObjectType input) {
                input.getFieldDefinitions().stream().filter(f -> blank(f.getDescription()))
                        .forEach(f -> missing.add(type.getName() + "." + f.getName()));
            }
            if (type instanceof GraphQLEnumType enumType) {
                enumType.getValues().stream().filter(v -> blank(v.getDescription()))
                        .forEach(v -> missing.add(type.getName() + "." + v.getName()));
            }
        }
        assertThat(missing).isEmpty();
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
