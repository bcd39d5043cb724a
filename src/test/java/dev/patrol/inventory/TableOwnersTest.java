package dev.patrol.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static patrol.jooq.Tables.ACCESS_TOKENS;

import java.util.Set;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.patrol.support.PatrolTest;
import dev.patrol.support.TableOwners;
import patrol.jooq.DefaultSchema;

/**
 * The rule every test runs under: one writing module per table ({@link TableOwners}). This class sits in the
 * inventory package so that its own statements are written "by the inventory module", which owns no table.
 */
@PatrolTest
class TableOwnersTest {

    @Autowired
    DSLContext dsl;

    /** The listener as the tests' context has it, but holding test code to the rule too. */
    private DSLContext strict() {
        return DSL.using(dsl.configuration().derive(new DefaultExecuteListenerProvider(TableOwners.forAllCode())));
    }

    @Test
    void aModuleThatDoesNotOwnATableCannotWriteIt() {
        assertThatThrownBy(() -> strict().update(ACCESS_TOKENS).set(ACCESS_TOKENS.NAME, ACCESS_TOKENS.NAME)
                .where(ACCESS_TOKENS.ID.eq(-1L)).execute())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Only the token module writes access_tokens, but the inventory module does")
                .hasMessageContaining(TableOwnersTest.class.getName());
        assertThatThrownBy(() -> strict().deleteFrom(ACCESS_TOKENS.as("t")).where(DSL.falseCondition()).execute())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Only the token module writes access_tokens");
    }

    @Test
    void plainSqlCountsToo() {
        assertThatThrownBy(() -> strict().execute("DELETE FROM members WHERE id = -1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Only the owner module writes members, but the inventory module does");
        assertThatThrownBy(() -> strict().execute("insert into `audit_events` (action) select 'x' from dual where 1 = 0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Only the audit module writes audit_events");
        assertThat(strict().fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.ID.eq(-1L))).isZero();
    }

    @Test
    void everyTableHasExactlyOneOwner() {
        Set<String> tables = DefaultSchema.DEFAULT_SCHEMA.getTables().stream()
                .filter(t -> !t.getTableType().isView())
                .map(Table::getName)
                .collect(Collectors.toSet());
        assertThat(TableOwners.OWNER.keySet()).containsExactlyInAnyOrderElementsOf(tables);
    }
}
