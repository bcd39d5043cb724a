package dev.patrol.auth;

import java.util.Arrays;

import dev.patrol.audit.Actor;
import dev.patrol.error.ErrorCode;
import dev.patrol.error.PatrolException;
import dev.patrol.owner.User;
import dev.patrol.token.AccessToken;
import dev.patrol.token.Scope;

/**
 * The authenticated caller of one API request: the token presented, its user (null for tokens without one)
 * and the {@link Actor} that services receive. GraphQL controllers get it with {@code @ContextValue Caller caller}.
 */
public record Caller(AccessToken token, User user, Actor actor) {

    /** The GraphQL context key and request attribute under which the caller is stored. */
    public static final String KEY = "caller";

    public boolean hasAnyScope(Scope... scopes) {
        return Arrays.stream(scopes).anyMatch(token::hasScope);
    }

    /** Refuses the request unless the token carries one of the scopes. */
    public void requireAnyScope(Scope... scopes) {
        if (!hasAnyScope(scopes)) {
            throw new PatrolException(ErrorCode.FORBIDDEN, "This request needs a token with one of the scopes "
                    + Arrays.stream(scopes).map(Scope::id).toList() + ".");
        }
    }

    /**
     * Whether this caller's token may write only by rotating itself ({@code self_rotate} without {@code api}). The
     * authentication filter lets such a token through only for one {@code accessTokenRotate} of its own id, so the
     * resolver must then use {@code TokenService.rotateSelf}: the token's user may not manage it otherwise.
     */
    public boolean selfRotateOnly() {
        return !token.hasScope(Scope.API) && token.hasScope(Scope.SELF_ROTATE);
    }

    /** Whether the given token id is the one this request authenticated with. */
    public boolean isOwnToken(long tokenId) {
        return token.id() == tokenId;
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
