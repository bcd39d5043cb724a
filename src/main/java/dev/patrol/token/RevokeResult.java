package dev.patrol.token;

/**
 * The outcome of a revoke: the token as it now is, whether this call changed it, and when it did not, why.
 */
public record RevokeResult(AccessToken token, boolean changed, String message) {
}
