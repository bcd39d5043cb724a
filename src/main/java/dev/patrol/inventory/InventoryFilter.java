package dev.patrol.inventory;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import dev.patrol.owner.UserKind;

/**
 * What part of the inventory to show; every field is optional and they combine with AND. Before/after bounds are
 * exclusive. {@code types} holds token type names and SSH_KEY; {@code lastUsedIp} is an address or a CIDR block.
 */
public record InventoryFilter(
        List<String> types,
        List<CredentialState> states,
        String ownerUsername,
        String ownerSearch,
        List<UserKind> ownerKinds,
        List<String> scopesAnyOf,
        List<String> scopesAllOf,
        OffsetDateTime createdBefore,
        OffsetDateTime createdAfter,
        LocalDate expiresBefore,
        LocalDate expiresAfter,
        OffsetDateTime lastUsedBefore,
        OffsetDateTime lastUsedAfter,
        Boolean neverUsed,
        String lastUsedIp,
        String search) {

    public static final InventoryFilter ALL = new InventoryFilter(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    public static InventoryFilter orAll(InventoryFilter filter) {
        return filter == null ? ALL : filter;
    }
}
