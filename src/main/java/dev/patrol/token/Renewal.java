package dev.patrol.token;

/** How a token type gets a fresh secret. Both kinds revoke the old token and link the new one into its family. */
public enum Renewal {
    ROTATE, RESET, NONE;

    public String verb() {
        return name().toLowerCase();
    }
}
