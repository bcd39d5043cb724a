package dev.patrol.inventory;

/** A credential's state as the inventory filters it: INACTIVE means expired or revoked. */
public enum CredentialState {
    ACTIVE, EXPIRED, REVOKED, INACTIVE
}
