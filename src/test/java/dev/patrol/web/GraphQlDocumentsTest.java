package dev.patrol.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.validation.ValidationError;
import graphql.validation.Validator;

/**
 * Every GraphQL document of the web front end (the .graphql files next to its components) is valid against the
 * schema in schema/: a renamed field or argument fails here, not in a browser. One named operation per file.
 */
class GraphQlDocumentsTest {

    static final Path STATIC = Path.of("src/main/resources/static");
    static final GraphQLSchema SCHEMA = schema();

    static GraphQLSchema schema() {
        TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
        try (Stream<Path> files = Files.list(Path.of("schema"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".graphqls")).sorted().toList()) {
                registry.merge(new SchemaParser().parse(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return UnExecutableSchemaGenerator.makeUnExecutableSchema(registry);
    }

    static List<Path> documents() throws IOException {
        try (Stream<Path> files = Files.walk(STATIC)) {
            return files.filter(f -> f.toString().endsWith(".graphql")).sorted().toList();
        }
    }

    @Test
    void theFrontEndHasItsDocuments() throws IOException {
        assertThat(documents()).hasSizeGreaterThan(15);
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentIsValidAgainstTheSchema() throws IOException {
        return documents().stream().map(file -> DynamicTest.dynamicTest(STATIC.relativize(file).toString(), () -> {
            Document document = Parser.parse(Files.readString(file));
            List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
            assertThat(operations).as("one operation per file").hasSize(1);
            assertThat(operations.get(0).getName()).as("a named operation").isNotBlank();
            List<ValidationError> errors = new Validator().validateDocument(SCHEMA, document, java.util.Locale.ENGLISH);
            assertThat(errors).as(file.toString()).isEmpty();
        }));
    }

    @Test
    void aWrongFieldIsCaught() {
        Document document = Parser.parse("query Broken { currentUser { nickname } }");
        assertThat(new Validator().validateDocument(SCHEMA, document, java.util.Locale.ENGLISH)).isNotEmpty();
    }
}
