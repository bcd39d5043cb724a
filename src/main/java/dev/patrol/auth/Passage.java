package dev.patrol.auth;

import java.io.IOException;

import org.springframework.http.HttpStatus;

import dev.patrol.owner.User;
import dev.patrol.token.AccessToken;
import dev.patrol.token.Scope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One request going through a {@link Door}: what its steps have learned so far, and how it is refused. It is the
 * request's log entry as well (rather than holding one) so that splitting the door into steps costs the warm path
 * no allocation.
 */
final class Passage extends ApiRequestLog.Entry {

    final HttpServletRequest request;
    final HttpServletResponse response;
    /** The client's address: what the ban counts and the usage and audit record. */
    final String ip;
    private final RefusalFormat refusals;

    /** The token value as presented; never logged. */
    String presentedToken;
    /** The body, when a step had to read it; it is served again to the handler. */
    byte[] body;
    /** What the request asks to do, on doors that read it (the API); null elsewhere. */
    ApiCall call;
    /** The token presented, once looked up; set on failures too (a revoked or expired token), for the log. */
    AccessToken token;
    /** Whom the request acts as: the token's user, or the {@code Sudo} user. */
    User user;
    /** The token's user when {@code Sudo} made the request act as someone else. */
    User sudoer;
    /** The narrowest scope of the token that allows the call. */
    Scope scope;

    Passage(HttpServletRequest request, HttpServletResponse response, RefusalFormat refusals) {
        super(request.getMethod(), request.getRequestURI(), request.getRemoteAddr());
        this.request = request;
        this.response = response;
        this.ip = request.getRemoteAddr();
        this.refusals = refusals;
    }

    /** The request the handler gets: with its body again when a step read it. */
    HttpServletRequest forwarded() {
        return body == null ? request : new CachedBodyRequest(request, body);
    }

    /** Refuses the request, logging the scopes its call needed; always false, for {@code return passage.refuse(..)}. */
    boolean refuse(HttpStatus status, String reason, String message) throws IOException {
        return refuseNeeding(requestedScopes(), status, reason, message);
    }

    /** Refuses the request, logging the given scopes as the ones it needed. */
    boolean refuseNeeding(String requestedScopes, HttpStatus status, String reason, String message)
            throws IOException {
        if (aboutRequest(status)) {
            put("error", reason);
        } else {
            failure(reason, tokenId(), requestedScopes);
        }
        response.setStatus(status.value());
        refusals.write(response, reason, message);
        return false;
    }

    /** Refusals about the request itself rather than its credentials; not logged as auth failures. */
    private static boolean aboutRequest(HttpStatus status) {
        return status == HttpStatus.METHOD_NOT_ALLOWED || status == HttpStatus.CONTENT_TOO_LARGE
                || status == HttpStatus.SERVICE_UNAVAILABLE || status == HttpStatus.BAD_REQUEST
                || status == HttpStatus.UNSUPPORTED_MEDIA_TYPE || status == HttpStatus.TOO_MANY_REQUESTS;
    }

    private String requestedScopes() {
        if (call == null) {
            return null;
        }
        return call.kind().requestedScopes();
    }

    /** How the log names the token: {@code PersonalAccessToken/12}. */
    String tokenId() {
        return token == null ? null : token.type().modelName() + "/" + token.id();
    }
}
