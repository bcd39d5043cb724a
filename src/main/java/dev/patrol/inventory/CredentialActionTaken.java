package dev.patrol.inventory;

/**
 * Published when a credential is revoked, rotated or deleted from the inventory, inside the transaction that did
 * it, so the owner can be told (GitLab e-mails them). Listen with {@code @TransactionalEventListener} to act only
 * once the change is committed.
 *
 * @param ownerUserId the user the credential belongs to (a bot for project and group tokens), or null
 */
public record CredentialActionTaken(InventoryCredential credential, Long ownerUserId, Action action) {

    public enum Action {
        REVOKED, ROTATED, SSH_KEY_DELETED
    }
}
