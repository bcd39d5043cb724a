package dev.patrol.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import dev.patrol.database.DatabaseOutages;
import dev.patrol.token.TokenIntrospection;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The door of token introspection ({@value #PATH}, RFC 7662) and of nothing else. In order: only a POSTed form
 * (405, 415); a banned address is refused (403); the resource server authenticates ({@link ResourceServerCredentials}:
 * 401 or 403 with a {@code WWW-Authenticate} challenge); each caller has its own rate limit on each instance
 * ({@code patrol.introspection.rate-limit}, 429); then the caller is logged and the request handed on. Refusals are
 * OAuth error bodies ({@code {"error": "invalid_client", "error_description": "..."}}, RFC 6749 section 5.2). What the
 * handler answers about the token presented never counts toward the caller's ban: the resource server is not the
 * attacker. Every request is one line in the request log; a database that cannot be used is a 503 ({@link Door}).
 */
@Component
public class IntrospectionDoor extends Door {

    public static final String PATH = "/oauth/introspect";

    IntrospectionDoor(AuthCache cache, FailedAuthBan bans, UsageBuffer usage, ApiRequestLog requestLog, JsonMapper json,
            TokenIntrospection rules, IntrospectionProperties properties, Clock clock, DatabaseOutages outages) {
        super(requestLog, outages, oauthErrors(json),
                PostRequest.form(),
                new BanCheck(bans),
                new ResourceServerCredentials(cache, bans, rules),
                new CallerRateLimit(properties.rateLimit(), clock),
                new ResourceServerAdmission(bans, usage));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().equals(PATH);
    }

    /** RFC 6749 section 5.2's error body; the error code follows from the status and the challenge already set. */
    static RefusalFormat oauthErrors(JsonMapper json) {
        return (response, reason, message) -> {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            String error = oauthError(response.getStatus(), reason, response.getHeader(HttpHeaders.WWW_AUTHENTICATE));
            response.getWriter().write(json.writeValueAsString(Map.of("error", error, "error_description", message)));
        };
    }

    private static String oauthError(int status, String reason, String challenge) {
        return switch (HttpStatus.valueOf(status)) {
            case UNAUTHORIZED -> challenge != null && challenge.startsWith("Basic") ? "invalid_client"
                    : "invalid_token";
            case FORBIDDEN -> "insufficient_scope".equals(reason) ? "insufficient_scope" : "access_denied";
            case TOO_MANY_REQUESTS -> "rate_limited";
            case SERVICE_UNAVAILABLE -> "temporarily_unavailable";
            default -> "invalid_request";
        };
    }
}
