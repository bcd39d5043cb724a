package dev.patrol.inventory;

import dev.patrol.shared.Actor;

/**
 * Published when a credential is revoked, rotated or deleted from the inventory, inside the transaction that did
 * it, so the owner can be told (GitLab e-mails them). The expiry package queues that e-mail in the same
 * transaction, so it is sent exactly when the change commits.
 *
 * @param actor       who did it
 * @param ownerUserId the user the credential belongs to (a bot for project and group tokens), or null
 */
public record CredentialActionTaken(Actor actor, InventoryCredential credential, Long ownerUserId, Action action) {

    public enum Action {
        REVOKED, ROTATED, SSH_KEY_DELETED
    }
}
