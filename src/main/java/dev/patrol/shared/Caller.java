package dev.patrol.shared;

import java.util.Set;

/**
 * The authenticated caller of one API request, as every feature sees it: the {@link Actor} that services receive,
 * the id of the token presented and the ids of its scopes. GraphQL controllers get it with
 * {@code @ContextValue Caller caller}. Which scopes an operation needs is the authentication filter's rule, checked
 * before anything runs; a controller asks about scopes only where a scope changes what an operation means
 * ({@code self_rotate}).
 */
public record Caller(Actor actor, long tokenId, Set<String> scopes) {

    /** The GraphQL context key and request attribute under which the caller is stored. */
    public static final String KEY = "caller";
    /**
     * The key of the caller's user record (the owner module's {@code User}, read with the token and cached with it),
     * for resolvers that answer with it without a database read.
     */
    public static final String USER_KEY = "callerUser";

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** Whether the given token id is the one this request authenticated with. */
    public boolean isOwnToken(long id) {
        return tokenId == id;
    }

    public boolean isAdmin() {
        return actor.admin();
    }

    public void requireAdmin() {
        if (!isAdmin()) {
            throw PatrolException.forbidden("Only administrators can do this.");
        }
    }
}
