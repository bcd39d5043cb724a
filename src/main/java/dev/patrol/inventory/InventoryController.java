package dev.patrol.inventory;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.inventory.InventoryRepository.DateCount;
import dev.patrol.inventory.InventoryRepository.TypeStateCount;
import dev.patrol.inventory.InventoryService.ActionResult;
import dev.patrol.inventory.InventoryService.BulkRevocation;
import dev.patrol.inventory.InventoryService.Interval;
import dev.patrol.inventory.InventoryService.OffboardingImpact;
import dev.patrol.inventory.InventoryService.OverPrivilegedToken;
import dev.patrol.inventory.InventoryService.Stats;
import dev.patrol.shared.Caller;
import dev.patrol.shared.Connection;
import dev.patrol.shared.PageRequest;

/** Serves credentialsInventory, inventoryStats, overPrivilegedTokens, offboardingImpact and the inventory mutations. */
@Controller
class InventoryController {

    private final InventoryService inventory;
    private final InventorySshKeys sshKeys;

    InventoryController(InventoryService inventory, InventorySshKeys sshKeys) {
        this.inventory = inventory;
        this.sshKeys = sshKeys;
    }

    @QueryMapping
    Connection<InventoryCredential> credentialsInventory(@ContextValue Caller caller, @Argument String groupPath,
            @Argument InventoryFilter filter, @Argument InventorySort sort, @Argument Integer first,
            @Argument String after, @Argument Integer last, @Argument String before) {
        return inventory.list(caller.actor(), groupPath, filter, sort, PageRequest.of(first, after, last, before));
    }

    @SchemaMapping(typeName = "InventoryCredentialConnection")
    long count(Connection<InventoryCredential> connection) {
        return connection.count().get();
    }

    @QueryMapping
    Stats inventoryStats(@ContextValue Caller caller, @Argument String groupPath, @Argument InventoryFilter filter) {
        return inventory.stats(caller.actor(), groupPath, filter);
    }

    @SchemaMapping(typeName = "InventoryStats")
    List<TypeStateCount> countsByTypeAndState(Stats stats) {
        return inventory.countsByTypeAndState(stats);
    }

    @SchemaMapping(typeName = "InventoryStats")
    List<DateCount> topExpiryDates(Stats stats) {
        return inventory.topExpiryDates(stats);
    }

    @SchemaMapping(typeName = "InventoryStats")
    List<DateCount> expiryHistogram(Stats stats, @Argument Interval interval, @Argument LocalDate from,
            @Argument LocalDate to) {
        return inventory.expiryHistogram(stats, interval, from, to);
    }

    @SchemaMapping(typeName = "InventoryStats")
    long withoutExpiry(Stats stats) {
        return inventory.risks(stats, 0, 0).withoutExpiry();
    }

    @SchemaMapping(typeName = "InventoryStats")
    long expiringWithin(Stats stats, @Argument int days) {
        return inventory.risks(stats, days, 0).expiringSoon();
    }

    @SchemaMapping(typeName = "InventoryStats")
    long neverUsed(Stats stats) {
        return inventory.risks(stats, 0, 0).neverUsed();
    }

    @SchemaMapping(typeName = "InventoryStats")
    long unusedFor(Stats stats, @Argument int days) {
        return inventory.risks(stats, 0, days).unused();
    }

    @SchemaMapping(typeName = "InventoryStats")
    long ofBlockedUsers(Stats stats) {
        return inventory.risks(stats, 0, 0).ofBlockedUsers();
    }

    @SchemaMapping(typeName = "InventoryStats")
    long ownerLeftGroup(Stats stats) {
        return inventory.risks(stats, 0, 0).ownerLeftGroup();
    }

    @QueryMapping
    List<OverPrivilegedToken> overPrivilegedTokens(@ContextValue Caller caller, @Argument String groupPath,
            @Argument int windowDays, @Argument int first) {
        return inventory.overPrivileged(caller.actor(), groupPath, windowDays, first);
    }

    @QueryMapping
    OffboardingImpact offboardingImpact(@ContextValue Caller caller, @Argument String username) {
        return inventory.offboardingImpact(caller.actor(), username);
    }

    @MutationMapping
    ActionResult credentialRevoke(@ContextValue Caller caller, @Argument Map<String, Object> input) {
        return inventory.revoke(caller.actor(), (String) input.get("id"));
    }

    @MutationMapping
    RotatePayload credentialRotate(@ContextValue Caller caller, @Argument RotateInput input) {
        ActionResult result = inventory.rotate(caller.actor(), input.id(), input.expiresAt());
        return new RotatePayload(result.secret(), result.credential(), result.errors());
    }

    @MutationMapping
    ActionResult sshKeyDeleteFromInventory(@ContextValue Caller caller, @Argument Map<String, Object> input) {
        return new ActionResult(sshKeys.delete(caller.actor(), (String) input.get("id")), null, List.of());
    }

    @MutationMapping
    BulkPayload credentialsBulkRevoke(@ContextValue Caller caller, @Argument BulkRevokeInput input) {
        BulkRevocation result = inventory.bulkRevoke(caller.actor(), input.groupPath(), input.filter(),
                input.dryRun(), input.confirmation());
        return new BulkPayload(result.dryRun(), result.credentials(), result.credentials().size(),
                result.confirmation(), result.revokedCount(), List.of());
    }

    record RotateInput(String id, LocalDate expiresAt) {
    }

    record RotatePayload(String token, InventoryCredential credential, List<String> errors) {
    }

    record BulkRevokeInput(String groupPath, InventoryFilter filter, boolean dryRun, String confirmation) {
    }

    record BulkPayload(boolean dryRun, List<InventoryCredential> credentials, int count, String confirmation,
            int revokedCount, List<String> errors) {
    }
}
