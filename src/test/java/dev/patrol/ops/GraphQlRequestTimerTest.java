package dev.patrol.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** GraphQL request timings: spring-graphql's metric and tags, and operation names capped at a hundred. */
class GraphQlRequestTimerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GraphQlRequestTimer timer = new GraphQlRequestTimer(registry);
    private final GraphQL graphQl = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(
                    new SchemaParser().parse("type Query { hello: String } type Mutation { touch: Boolean }"),
                    RuntimeWiring.newRuntimeWiring()
                            .type("Query", type -> type.dataFetcher("hello", env -> "world"))
                            .type("Mutation", type -> type.dataFetcher("touch", env -> true))
                            .build()))
            .instrumentation(timer)
            .build();

    @Test
    void eachRequestIsTimedByOperationNameTypeAndOutcome() {
        graphQl.execute("query Greeting { hello }");
        graphQl.execute("query Greeting { hello }");
        graphQl.execute("mutation { touch }");
        graphQl.execute(ExecutionInput.newExecutionInput("query Broken { nope }").operationName("Broken").build());

        assertThat(count("Greeting", "query", "SUCCESS")).isEqualTo(2);
        assertThat(count("anonymous", "mutation", "SUCCESS")).isEqualTo(1);
        assertThat(count("Broken", "query", "REQUEST_ERROR")).isEqualTo(1);
        assertThat(registry.get("graphql.request").tag("graphql.operation.name", "Greeting").timer().totalTime(
                TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void theFirstHundredNamesAreKeptAndTheRestAreOther() {
        IntStream.range(0, GraphQlRequestTimer.MAX_NAMES).forEach(i -> timer.tagFor("Op" + i));

        assertThat(timer.tagFor("Op7")).isEqualTo("Op7");
        assertThat(timer.tagFor("Op100")).isEqualTo("other");
        assertThat(timer.tagFor("Op99")).isEqualTo("Op99");
    }

    @Test
    void unnamedAndInvalidNamesGetFixedValues() {
        assertThat(timer.tagFor(null)).isEqualTo("anonymous");
        assertThat(timer.tagFor("")).isEqualTo("anonymous");
        assertThat(timer.tagFor("glpat-abc\"}")).isEqualTo("other");
        assertThat(timer.tagFor("x".repeat(101))).isEqualTo("other");
    }

    private long count(String name, String type, String outcome) {
        return registry.get("graphql.request")
                .tag("error", "none")
                .tag("graphql.operation.name", name)
                .tag("graphql.operation.type", type)
                .tag("graphql.outcome", outcome)
                .timer()
                .count();
    }
}
