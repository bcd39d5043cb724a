package dev.patrol.inventory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.owner.SshKeyService;
import dev.patrol.shared.Actor;
import dev.patrol.shared.GlobalId;

/**
 * Deleting SSH keys from the inventory: the key's user, the Owners of the user's enterprise group and
 * administrators may; the owner is told through {@link CredentialActionTaken}.
 */
@Service
public class InventorySshKeys {

    private final InventoryService inventory;
    private final SshKeyService sshKeys;
    private final ApplicationEventPublisher events;

    InventorySshKeys(InventoryService inventory, SshKeyService sshKeys, ApplicationEventPublisher events) {
        this.inventory = inventory;
        this.sshKeys = sshKeys;
        this.events = events;
    }

    /** Deletes the key through {@link SshKeyService}, which holds who may, and tells its user. */
    @Transactional
    public InventoryCredential delete(Actor actor, String globalId) {
        long id = GlobalId.parse(globalId, InventoryCredential.SSH_KEY_MODEL);
        InventoryCredential key = inventory.credential(CredentialKind.SSH_KEY, id);
        sshKeys.delete(actor, id);
        events.publishEvent(new CredentialActionTaken(actor, key, key.userId(),
                CredentialActionTaken.Action.SSH_KEY_DELETED));
        return key;
    }
}
