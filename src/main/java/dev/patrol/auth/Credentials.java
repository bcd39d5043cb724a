package dev.patrol.auth;

import java.io.IOException;

import org.springframework.http.HttpStatus;

import dev.patrol.token.AuthFailure;
import dev.patrol.token.Authentication;
import dev.patrol.token.TokenService;

/**
 * Authenticates the presented token ({@link AuthCache}). A failure is 401, or 403 for a blocked user; each 401
 * counts toward the address's ban. A revoked token presented on a request that rotates a token is handed to
 * {@link TokenService#revokedValuePresentedForRotation} first (reuse detection); only doors that read the
 * request's {@link ApiCall} can recognise one (a GraphQL rotate mutation, a REST rotate endpoint).
 */
final class Credentials implements Step {

    private final AuthCache cache;
    private final FailedAuthBan bans;
    private final TokenService tokenService;

    Credentials(AuthCache cache, FailedAuthBan bans, TokenService tokenService) {
        this.cache = cache;
        this.bans = bans;
        this.tokenService = tokenService;
    }

    @Override
    public boolean pass(Passage passage) throws IOException {
        Authentication auth = cache.authenticate(passage.presentedToken);
        passage.token = auth.token();
        if (auth.succeeded()) {
            passage.user = auth.user();
            return true;
        }
        AuthFailure failure = auth.failure();
        if (failure == AuthFailure.REVOKED && passage.call != null && passage.call.rotates()) {
            tokenService.revokedValuePresentedForRotation(auth.token(), passage.ip);
        }
        HttpStatus status = statusOf(failure);
        if (status == HttpStatus.UNAUTHORIZED) {
            bans.recordFailure(passage.ip);
        }
        return passage.refuse(status, failure.reason(), failure.message());
    }

    private static HttpStatus statusOf(AuthFailure failure) {
        return switch (failure) {
            case USER_BLOCKED, INSUFFICIENT_SCOPE, NO_API_ACCESS -> HttpStatus.FORBIDDEN;
            default -> HttpStatus.UNAUTHORIZED;
        };
    }
}
