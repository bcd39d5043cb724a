package dev.patrol.token;

/** Whether and how a token type expires. */
public enum ExpiryRule {
    /** Expires; the instance's "require expiration" and maximum lifetime settings apply. */
    POLICY,
    /** May expire on a date the creator picks; no default. */
    OPTIONAL,
    /** Never expires (it is reset instead). */
    NEVER
}
