package dev.patrol.auth;

import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.patrol.token.Introspection;
import dev.patrol.token.TokenIntrospection;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Answers {@code POST /oauth/introspect} (RFC 7662) for callers {@link IntrospectionDoor} let in: the claims of an
 * active token, or exactly {@code {"active": false}} with HTTP 200 for every other case, its reason in the request
 * log only. The token is checked as the API checks one (the authentication cache: no SQL when warm, one statement
 * when cold), and its last-used time noted, but not the caller's address, which is not the token user's.
 */
@RestController
class IntrospectionController {

    private final AuthCache cache;
    private final TokenIntrospection rules;
    private final UsageBuffer usage;

    IntrospectionController(AuthCache cache, TokenIntrospection rules, UsageBuffer usage) {
        this.cache = cache;
        this.rules = rules;
        this.usage = usage;
    }

    @PostMapping(IntrospectionDoor.PATH)
    ResponseEntity<Map<String, Object>> introspect(HttpServletRequest request) {
        Passage passage = (Passage) request.getAttribute(ResourceServerAdmission.PASSAGE);
        String value = request.getParameter("token");
        if (value == null || value.isBlank()) {
            passage.put("error", "invalid_request");
            return ResponseEntity.badRequest().cacheControl(CacheControl.noStore()).body(Map.of("error",
                    "invalid_request", "error_description", "The token parameter is required."));
        }
        Introspection result = rules.introspect(cache.authenticate(value.strip()),
                request.getParameter("token_type_hint"), request.getParameter("username"));
        if (result.token() != null) {
            passage.put("meta.introspected_token_id", result.token().reference());
        }
        if (result.active()) {
            usage.record(result.token().id(), null, null);
        } else {
            passage.put("meta.auth_fail_reason", result.inactiveReason());
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header(HttpHeaders.PRAGMA, "no-cache")
                .body(result.claims());
    }
}
