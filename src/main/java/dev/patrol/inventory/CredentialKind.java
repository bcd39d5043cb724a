package dev.patrol.inventory;

/** The two families of credentials the inventory lists. Tokens sort before SSH keys when their keys tie. */
public enum CredentialKind {
    ACCESS_TOKEN, SSH_KEY
}
