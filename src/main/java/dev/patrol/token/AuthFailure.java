package dev.patrol.token;

/** Why a presented token was refused; the log names match GitLab's {@code meta.auth_fail_reason}. */
public enum AuthFailure {
    /** Not a Patrol token at all, or a checksum mismatch: refused without a database read. */
    MALFORMED("token_malformed", "The token is malformed."),
    /** Well-formed but unknown. */
    UNKNOWN("token_invalid", "The token is not valid."),
    EXPIRED("token_expired", "The token has expired."),
    REVOKED("token_revoked", "The token has been revoked."),
    USER_BLOCKED("user_blocked", "The token's user is blocked."),
    IMPERSONATION_DISABLED("impersonation_disabled", "Impersonation tokens are disabled on this instance."),
    INSUFFICIENT_SCOPE("insufficient_scope", "The token does not have the scope this request needs."),
    NO_API_ACCESS("token_not_for_api", "This kind of token cannot be used with the API.");

    private final String reason;
    private final String message;

    AuthFailure(String reason, String message) {
        this.reason = reason;
        this.message = message;
    }

    /** The log value for {@code meta.auth_fail_reason}. */
    public String reason() {
        return reason;
    }

    /** A plain explanation for the client; never contains the token. */
    public String message() {
        return message;
    }
}
