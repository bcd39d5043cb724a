package dev.patrol.rest;

import org.springframework.http.HttpStatus;

import dev.patrol.token.RevokeResult;

/** A refusal of a REST call, with GitLab's status and message ({@code "404 Project Not Found"}). */
final class RestError extends RuntimeException {

    private final HttpStatus status;

    private RestError(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    HttpStatus status() {
        return status;
    }

    /** {@code 400 Bad request - <reason>}: a parameter missing, malformed or not allowed. */
    static RestError badRequest(String reason) {
        return new RestError(HttpStatus.BAD_REQUEST, "400 Bad request - " + reason);
    }

    static RestError missing(String parameter) {
        return badRequest(parameter + " is missing");
    }

    static RestError invalid(String parameter) {
        return badRequest(parameter + " is invalid");
    }

    /** {@code 404 <What> Not Found}: it does not exist, or the caller cannot see it (GitLab does not tell apart). */
    static RestError notFound(String what) {
        return new RestError(HttpStatus.NOT_FOUND, "404 " + what + " Not Found");
    }

    /** GitLab answers a revoke that changed nothing (the token was already revoked) with 400 and the reason. */
    static void unlessChanged(RevokeResult result) {
        if (!result.changed()) {
            throw badRequest(result.message());
        }
    }

    /** GitLab's answer to a non-administrator filtering another user's tokens (documented as 401, not 403). */
    static RestError unauthorized() {
        return new RestError(HttpStatus.UNAUTHORIZED, "401 Unauthorized");
    }

    static RestError forbidden(String reason) {
        return new RestError(HttpStatus.FORBIDDEN, "403 Forbidden - " + reason);
    }

    /** GitLab's answer to a page number too far for offset pagination: go on by keyset (the Link header's cursor). */
    static RestError offsetTooLarge(int maxOffset) {
        return new RestError(HttpStatus.METHOD_NOT_ALLOWED, "405 Method Not Allowed - Offset pagination has a "
                + "maximum allowed offset of " + maxOffset + ". Remaining records can be retrieved using keyset "
                + "pagination: follow the Link header's rel=\"next\", or pass pagination=keyset.");
    }
}
