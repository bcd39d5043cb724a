package dev.patrol.shared;

/** The machine-readable kind of a domain error, as clients see it in {@code extensions.code}. */
public enum ErrorCode {
    BAD_USER_INPUT,
    NOT_FOUND,
    FORBIDDEN,
    UNAUTHENTICATED,
    CONFLICT,
    /** The database cannot be used right now (down, frozen, every connection busy, or a commit's outcome unknown). */
    SERVICE_UNAVAILABLE
}
