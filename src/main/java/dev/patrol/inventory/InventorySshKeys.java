package dev.patrol.inventory;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.audit.Actor;
import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.error.PatrolException;
import dev.patrol.graphql.GlobalId;
import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Permissions;
import dev.patrol.owner.User;

/**
 * Deleting SSH keys from the inventory: the key's user, the Owners of the user's enterprise group and
 * administrators may; the owner is told through {@link CredentialActionTaken}.
 */
@Service
public class InventorySshKeys {

    private final InventoryService inventory;
    private final InventoryRepository repository;
    private final OwnerService owners;
    private final Permissions permissions;
    private final AuditService audit;
    private final ApplicationEventPublisher events;

    InventorySshKeys(InventoryService inventory, InventoryRepository repository, OwnerService owners,
            Permissions permissions, AuditService audit, ApplicationEventPublisher events) {
        this.inventory = inventory;
        this.repository = repository;
        this.owners = owners;
        this.permissions = permissions;
        this.audit = audit;
        this.events = events;
    }

    @Transactional
    public InventoryCredential delete(Actor actor, String globalId) {
        long id = GlobalId.parse(globalId, InventoryCredential.SSH_KEY_MODEL);
        InventoryCredential key = inventory.credential(CredentialKind.SSH_KEY, id);
        User user = owners.user(key.userId());
        boolean allowed = actor.admin() || actor.isUser(user.id()) || (user.enterpriseGroupId() != null
                && permissions.hasRole(actor, owners.group(user.enterpriseGroupId()), AccessLevel.OWNER));
        if (!allowed) {
            throw PatrolException.forbidden("You cannot delete this SSH key.");
        }
        if (repository.deleteSshKey(id) != 1) {
            throw PatrolException.conflict("This SSH key was deleted by a concurrent request.");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("user", user.username());
        details.put("via", "inventory");
        audit.record(actor, "ssh_key_deleted", new AuditTarget(InventoryCredential.SSH_KEY_MODEL, id, key.name(),
                user.enterpriseGroupId()), details);
        events.publishEvent(new CredentialActionTaken(key, user.id(), CredentialActionTaken.Action.SSH_KEY_DELETED));
        return key;
    }
}
