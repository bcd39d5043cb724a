package dev.patrol.token;

/**
 * A token just created or rotated, with its secret. The secret exists only in this object: show it once and
 * let it go. {@link #toString()} leaves it out so it cannot end up in a log by accident.
 */
public record IssuedToken(AccessToken token, String secret) {

    @Override
    public String toString() {
        return "IssuedToken[" + token.reference() + ", secret=<hidden>]";
    }
}
