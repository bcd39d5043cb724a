package dev.patrol.token;

/** Whether a token works now: ACTIVE is neither revoked nor expired. */
public enum TokenState {
    ACTIVE, INACTIVE
}
