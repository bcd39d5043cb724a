package dev.patrol.inventory;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import dev.patrol.owner.UserKind;

/** Builds an {@link InventoryFilter} one field at a time. */
class FilterBuilder {

    private List<String> types;
    private List<CredentialState> states;
    private String ownerUsername;
    private String ownerSearch;
    private List<UserKind> ownerKinds;
    private List<String> scopesAnyOf;
    private List<String> scopesAllOf;
    private OffsetDateTime createdBefore;
    private OffsetDateTime createdAfter;
    private LocalDate expiresBefore;
    private LocalDate expiresAfter;
    private OffsetDateTime lastUsedBefore;
    private OffsetDateTime lastUsedAfter;
    private Boolean neverUsed;
    private String lastUsedIp;
    private String search;

    static FilterBuilder filter() {
        return new FilterBuilder();
    }

    FilterBuilder types(String... v) { types = List.of(v); return this; }
    FilterBuilder states(CredentialState... v) { states = List.of(v); return this; }
    FilterBuilder ownerUsername(String v) { ownerUsername = v; return this; }
    FilterBuilder ownerSearch(String v) { ownerSearch = v; return this; }
    FilterBuilder ownerKinds(UserKind... v) { ownerKinds = List.of(v); return this; }
    FilterBuilder scopesAnyOf(String... v) { scopesAnyOf = List.of(v); return this; }
    FilterBuilder scopesAllOf(String... v) { scopesAllOf = List.of(v); return this; }
    FilterBuilder createdBefore(String v) { createdBefore = OffsetDateTime.parse(v); return this; }
    FilterBuilder createdAfter(String v) { createdAfter = OffsetDateTime.parse(v); return this; }
    FilterBuilder expiresBefore(LocalDate v) { expiresBefore = v; return this; }
    FilterBuilder expiresAfter(LocalDate v) { expiresAfter = v; return this; }
    FilterBuilder lastUsedBefore(String v) { lastUsedBefore = OffsetDateTime.parse(v); return this; }
    FilterBuilder lastUsedAfter(String v) { lastUsedAfter = OffsetDateTime.parse(v); return this; }
    FilterBuilder neverUsed(boolean v) { neverUsed = v; return this; }
    FilterBuilder lastUsedIp(String v) { lastUsedIp = v; return this; }
    FilterBuilder search(String v) { search = v; return this; }

    InventoryFilter build() {
        return new InventoryFilter(types, states, ownerUsername, ownerSearch, ownerKinds, scopesAnyOf, scopesAllOf,
                createdBefore, createdAfter, expiresBefore, expiresAfter, lastUsedBefore, lastUsedAfter, neverUsed,
                lastUsedIp, search);
    }
}
