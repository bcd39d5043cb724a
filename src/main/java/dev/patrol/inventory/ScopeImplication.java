package dev.patrol.inventory;

import static dev.patrol.token.Scope.*;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.patrol.token.Scope;

/** Which scopes include others, to suggest the narrowest set that covers what a token used. */
final class ScopeImplication {

    private static final Map<Scope, Set<Scope>> IMPLIES = Map.of(
            API, EnumSet.of(READ_API, READ_USER, READ_REPOSITORY, WRITE_REPOSITORY, READ_REGISTRY, WRITE_REGISTRY,
                    READ_VIRTUAL_REGISTRY, WRITE_VIRTUAL_REGISTRY, READ_PACKAGE_REGISTRY, WRITE_PACKAGE_REGISTRY),
            READ_API, EnumSet.of(READ_USER),
            WRITE_REPOSITORY, EnumSet.of(READ_REPOSITORY),
            WRITE_REGISTRY, EnumSet.of(READ_REGISTRY),
            WRITE_VIRTUAL_REGISTRY, EnumSet.of(READ_VIRTUAL_REGISTRY),
            WRITE_PACKAGE_REGISTRY, EnumSet.of(READ_PACKAGE_REGISTRY));

    private ScopeImplication() {
    }

    static boolean implies(Scope wider, Scope narrower) {
        return wider == narrower || IMPLIES.getOrDefault(wider, Set.of()).contains(narrower);
    }

    /** The used scopes without those another used scope already includes, in the registry's order. */
    static List<String> minimal(Collection<String> used) {
        List<Scope> scopes = used.stream().map(Scope::fromId).flatMap(java.util.Optional::stream).distinct().toList();
        return scopes.stream()
                .filter(s -> scopes.stream().noneMatch(other -> other != s && implies(other, s)))
                .sorted()
                .map(Scope::id)
                .toList();
    }
}
