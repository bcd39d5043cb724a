package dev.patrol.auth;

import java.io.IOException;

import org.springframework.http.HttpStatus;

import dev.patrol.token.AccessToken;
import dev.patrol.token.AuthFailure;
import dev.patrol.token.Scope;

/**
 * Lets on a call the token's scopes allow, noting the narrowest scope that does: reads need {@code read_api} or
 * {@code api}, writes {@code api}, and {@code self_rotate} alone allows only rotating the token itself.
 */
final class OperationScope implements Step {

    @Override
    public boolean pass(Passage passage) throws IOException {
        Scope scope = scopeFor(passage.token, passage.call);
        if (scope == null) {
            return passage.refuse(HttpStatus.FORBIDDEN, AuthFailure.INSUFFICIENT_SCOPE.reason(),
                    passage.call.kind() == ApiCall.Kind.READ
                            ? "This request needs a token with the read_api or api scope."
                            : "This request needs a token with the api scope (self_rotate allows only rotating "
                                    + "the token itself).");
        }
        passage.scope = scope;
        return true;
    }

    /** The narrowest of the token's scopes that allows the call, or null when none does. */
    private static Scope scopeFor(AccessToken token, ApiCall call) {
        if (call.kind() == ApiCall.Kind.READ) {
            return token.hasScope(Scope.READ_API) ? Scope.READ_API : token.hasScope(Scope.API) ? Scope.API : null;
        }
        if (token.hasScope(Scope.API)) {
            return Scope.API;
        }
        return token.hasScope(Scope.SELF_ROTATE) && call.isSelfRotationOf(token) ? Scope.SELF_ROTATE : null;
    }
}
