package dev.patrol.token;

import java.util.Map;

/**
 * What a resource server learns about a presented token (RFC 7662): the claims of an active token, or only that it
 * is not active. {@code inactiveReason} is for the request log ({@code meta.auth_fail_reason}), never for the caller;
 * {@code token} is the token found (also when inactive), or null when the value matched none.
 */
public record Introspection(AccessToken token, String inactiveReason, Map<String, Object> claims) {

    /** The whole answer for every token that is not active: nothing else may reach the caller. */
    public static final Map<String, Object> INACTIVE = Map.of("active", false);

    static Introspection inactive(AccessToken token, String reason) {
        return new Introspection(token, reason, INACTIVE);
    }

    public boolean active() {
        return inactiveReason == null;
    }
}
