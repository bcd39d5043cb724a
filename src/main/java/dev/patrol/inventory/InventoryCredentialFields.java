package dev.patrol.inventory;

import java.util.function.Function;

import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.stereotype.Component;

import dev.patrol.owner.AccessLevel;
import graphql.TrivialDataFetcher;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;

/**
 * Fields of {@code InventoryCredential} beyond its record components; the owner, scopes and addresses are components,
 * read by the row's own statement.
 *
 * <p>These are plain {@link TrivialDataFetcher}s, not {@code @SchemaMapping} methods: a page of 100 resolves each of
 * them 100 times, and in the profile of the inventory page every annotated field cost a handler-method invocation,
 * a context snapshot and an observation (a timer sample) per row, about a tenth of the server's CPU for {@code id}
 * alone. Each is a pure function of the row, so marking it trivial skips that machinery honestly.
 */
@Component
class InventoryCredentialFields implements RuntimeWiringConfigurer {

    @Override
    public void configure(RuntimeWiring.Builder wiring) {
        wiring.type("InventoryCredential", type -> type
                .dataFetcher("id", field(InventoryCredential::globalId))
                .dataFetcher("revoked", field(c -> c.revokedAt() != null))
                .dataFetcher("role", field(c -> c.accessLevel() == null ? null
                        : AccessLevel.of(c.accessLevel()).name())));
    }

    private static DataFetcher<Object> field(Function<InventoryCredential, Object> value) {
        return new RowField(value);
    }

    private record RowField(Function<InventoryCredential, Object> value) implements TrivialDataFetcher<Object> {

        @Override
        public Object get(DataFetchingEnvironment env) {
            return value.apply(env.getSource());
        }
    }
}
