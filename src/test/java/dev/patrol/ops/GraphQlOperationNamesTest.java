package dev.patrol.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Operation names are the client's choice: the tag keeps the first 100 and folds the rest into "other". */
class GraphQlOperationNamesTest {

    @Test
    void theFirstHundredNamesAreKeptAndTheRestAreOther() {
        GraphQlOperationNames names = new GraphQlOperationNames();

        IntStream.range(0, GraphQlOperationNames.MAX_NAMES).forEach(i -> names.tagFor("Op" + i));

        assertThat(names.tagFor("Op7")).isEqualTo("Op7");
        assertThat(names.tagFor("Op100")).isEqualTo("other");
        assertThat(names.tagFor("Op99")).isEqualTo("Op99");
    }

    @Test
    void unnamedAndInvalidNamesGetFixedValues() {
        GraphQlOperationNames names = new GraphQlOperationNames();

        assertThat(names.tagFor(null)).isEqualTo("anonymous");
        assertThat(names.tagFor("")).isEqualTo("anonymous");
        assertThat(names.tagFor("glpat-abc\"}")).isEqualTo("other");
        assertThat(names.tagFor("x".repeat(101))).isEqualTo("other");
    }
}
