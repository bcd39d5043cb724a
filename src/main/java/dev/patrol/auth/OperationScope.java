package dev.patrol.auth;

import java.io.IOException;

import org.springframework.http.HttpStatus;

import dev.patrol.token.AccessToken;
import dev.patrol.token.AuthFailure;
import dev.patrol.token.Scope;

/**
 * Lets on a call the token's scopes allow ({@link ApiCall.Kind}), noting the narrowest scope that does: reads need
 * {@code read_api} or {@code api} ({@code read_user} too for user profiles), writes {@code api}, {@code self_rotate}
 * alone allows only rotating the token itself, and any token may revoke itself.
 */
final class OperationScope implements Step {

    @Override
    public boolean pass(Passage passage) throws IOException {
        if (passage.call.kind() == ApiCall.Kind.REVOKE_ITSELF) {
            passage.scope = null;
            return true;
        }
        Scope scope = scopeFor(passage.token, passage.call);
        if (scope == null) {
            return passage.refuse(HttpStatus.FORBIDDEN, AuthFailure.INSUFFICIENT_SCOPE.reason(),
                    switch (passage.call.kind()) {
                        case READ_USER -> "This request needs a token with the read_user, read_api or api scope.";
                        case READ -> "This request needs a token with the read_api or api scope.";
                        default -> "This request needs a token with the api scope (self_rotate allows only rotating "
                                    + "the token itself).";
                    });
        }
        passage.scope = scope;
        return true;
    }

    /** The narrowest of the token's scopes that allows the call, or null when none does (a call needing one). */
    private static Scope scopeFor(AccessToken token, ApiCall call) {
        for (Scope scope : call.kind().allowedBy()) {
            if (token.hasScope(scope)) {
                return scope;
            }
        }
        return call.kind() == ApiCall.Kind.WRITE && token.hasScope(Scope.SELF_ROTATE) && call.isSelfRotationOf(token)
                ? Scope.SELF_ROTATE : null;
    }
}
