package dev.patrol.auth;

import java.util.List;
import java.util.stream.Collectors;

import dev.patrol.token.AccessToken;
import dev.patrol.token.Scope;

/**
 * What an API request asks to do, as far as scopes and reuse detection care, read before anything runs: a GraphQL
 * operation ({@link GraphQlCall}) or a call of GitLab's REST API ({@link RestCall}).
 */
sealed interface ApiCall permits GraphQlCall, RestCall {

    /** Which scopes allow a call, narrowest first: GitLab's rule per kind of call. */
    enum Kind {
        /** The current user's profile and public profiles ({@code GET /user}, {@code GET /users/:id}). */
        READ_USER(Scope.READ_USER, Scope.READ_API, Scope.API),
        /** Reads: {@code read_api} or {@code api}. */
        READ(Scope.READ_API, Scope.API),
        /** Writes: {@code api} ({@code self_rotate} only for {@link ApiCall#isSelfRotationOf the token itself}). */
        WRITE(Scope.API),
        /** Revoking the token presented ({@code DELETE /personal_access_tokens/self}): any token may, whatever its scopes. */
        REVOKE_ITSELF();

        private final List<Scope> allowedBy;

        Kind(Scope... allowedBy) {
            this.allowedBy = List.of(allowedBy);
        }

        /** The scopes that allow the call, narrowest first; empty when any token may make it. */
        List<Scope> allowedBy() {
            return allowedBy;
        }

        /** As the request log's {@code meta.auth_fail_requested_scopes} names them: {@code read_api api}. */
        String requestedScopes() {
            return allowedBy.isEmpty() ? null : allowedBy.stream().map(Scope::id).collect(Collectors.joining(" "));
        }
    }

    Kind kind();

    /** Whether the call rotates a token: a revoked value presented on one is reuse of a leaked token (GitLab's rule). */
    boolean rotates();

    /** Whether the call rotates exactly the given token and nothing else: all that {@code self_rotate} allows. */
    boolean isSelfRotationOf(AccessToken token);
}
