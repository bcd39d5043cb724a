package dev.patrol.auth;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.patrol.token.AuthFailure;
import dev.patrol.token.Authentication;
import dev.patrol.token.Scope;
import dev.patrol.token.TokenIntrospection;

/**
 * Authenticates the resource server that asks, as RFC 7662 section 2.1 requires: HTTP Basic with an OAuth
 * application's ID and secret (RFC 6749 section 2.3.1), or a token in {@code PRIVATE-TOKEN} or
 * {@code Authorization: Bearer} that {@link TokenIntrospection#introspectionGrant} lets introspect. Failed
 * credentials are 401 with a {@code WWW-Authenticate} challenge and count toward the address's ban, as on every
 * door; a valid token without the right is 403 {@code insufficient_scope} (RFC 6750 section 3.1).
 */
final class ResourceServerCredentials implements Step {

    static final String REALM = "realm=\"patrol\"";

    private final AuthCache cache;
    private final FailedAuthBan bans;
    private final TokenIntrospection rules;

    ResourceServerCredentials(AuthCache cache, FailedAuthBan bans, TokenIntrospection rules) {
        this.cache = cache;
        this.bans = bans;
        this.rules = rules;
    }

    @Override
    public boolean pass(Passage passage) throws IOException {
        String authorization = passage.request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return client(passage, authorization.substring(6).strip());
        }
        String value = PresentedToken.fromHeaders(passage.request);
        if (value == null) {
            passage.response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic " + REALM);
            passage.response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer " + REALM);
            return passage.refuse(HttpStatus.UNAUTHORIZED, "token_missing", "Authenticate as a resource server: "
                    + "HTTP Basic with an OAuth application's ID and secret, or a token with 'introspect' (or an "
                    + "administrator's token with 'api') in PRIVATE-TOKEN or 'Authorization: Bearer'.");
        }
        Authentication auth = cache.authenticate(value);
        passage.token = auth.token();
        if (!auth.succeeded()) {
            countFailure(passage, auth.failure());
            passage.response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer " + REALM + ", error=\"invalid_token\"");
            return passage.refuse(HttpStatus.UNAUTHORIZED, auth.failure().reason(), auth.failure().message());
        }
        Optional<Scope> grant = rules.introspectionGrant(auth);
        if (grant.isEmpty()) {
            passage.response.addHeader(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer " + REALM + ", error=\"insufficient_scope\", scope=\"introspect\"");
            return passage.refuseNeeding("introspect api", HttpStatus.FORBIDDEN, "insufficient_scope",
                    "Introspection needs a personal access token with 'introspect' of an administrator or a service "
                            + "account, or an administrator's token with 'api'.");
        }
        passage.user = auth.user();
        passage.scope = grant.get();
        return true;
    }

    private boolean client(Passage passage, String encoded) throws IOException {
        String[] idAndSecret = decode(encoded);
        Authentication secret = idAndSecret == null ? null : cache.authenticate(idAndSecret[1]);
        String refusal = secret == null ? "client_credentials_malformed"
                : rules.clientCredentialsRefusal(secret, idAndSecret[0]);
        if (secret != null) {
            passage.token = secret.token();
        }
        if (refusal != null) {
            countFailure(passage, secret == null ? null : secret.failure());
            passage.response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic " + REALM);
            return passage.refuse(HttpStatus.UNAUTHORIZED, refusal,
                    "The client ID and secret do not authenticate an OAuth application.");
        }
        passage.user = secret.user();
        return true;
    }

    /** A blocked user's token is no guess at a secret: it does not count toward the ban, as on the API. */
    private void countFailure(Passage passage, AuthFailure failure) {
        if (failure != AuthFailure.USER_BLOCKED) {
            bans.recordFailure(passage.ip);
        }
    }

    /** {@code base64(urlencode(id) ":" urlencode(secret))}, or null when it is not that. */
    private static String[] decode(String encoded) {
        try {
            String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] {URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException notBase64OrNotUrlEncoded) {
            return null;
        }
    }
}
