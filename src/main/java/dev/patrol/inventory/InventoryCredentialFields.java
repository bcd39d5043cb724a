package dev.patrol.inventory;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.User;

/**
 * Fields of {@code InventoryCredential} beyond its record components. Owners load once per page (one IN query),
 * never per row; scopes and addresses come with the row itself.
 */
@Controller
class InventoryCredentialFields {

    private final OwnerRepository owners;

    InventoryCredentialFields(OwnerRepository owners) {
        this.owners = owners;
    }

    @SchemaMapping(typeName = "InventoryCredential")
    String id(InventoryCredential c) {
        return c.globalId();
    }

    @SchemaMapping(typeName = "InventoryCredential")
    boolean revoked(InventoryCredential c) {
        return c.revokedAt() != null;
    }

    @SchemaMapping(typeName = "InventoryCredential")
    String role(InventoryCredential c) {
        return c.accessLevel() == null ? null : AccessLevel.of(c.accessLevel()).name();
    }

    @BatchMapping(typeName = "InventoryCredential")
    Map<InventoryCredential, User> owner(List<InventoryCredential> rows) {
        Map<Long, User> users = owners.usersById(rows.stream().map(InventoryCredential::userId)
                .filter(java.util.Objects::nonNull).distinct().toList());
        return rows.stream().filter(c -> c.userId() != null && users.containsKey(c.userId()))
                .collect(Collectors.toMap(Function.identity(), c -> users.get(c.userId()), (a, b) -> a));
    }
}
