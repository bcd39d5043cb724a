package dev.patrol.auth;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.patrol.audit.Actor;
import dev.patrol.audit.Source;
import dev.patrol.token.AuthFailure;
import dev.patrol.token.Authentication;
import dev.patrol.token.TokenService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates API requests by token ({@code PRIVATE-TOKEN: <token>} or {@code Authorization: Bearer <token>})
 * and stores the {@link Caller} as a request attribute. Refusals are 401 (no usable token) or 403 (a valid token
 * that may not do this), with a JSON body that says why and never repeats the token.
 */
@Component
public class TokenAuthenticationFilter extends OncePerRequestFilter {

    private final TokenService tokens;

    public TokenAuthenticationFilter(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.equals("/graphql") || path.startsWith("/inventory/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String value = presentedToken(request);
        if (value == null) {
            refuse(response, HttpStatus.UNAUTHORIZED, "token_missing",
                    "Authentication required: send a token in the PRIVATE-TOKEN header or as 'Authorization: Bearer <token>'.");
            return;
        }
        Authentication auth = tokens.authenticate(value);
        if (!auth.succeeded()) {
            refuse(response, statusOf(auth.failure()), auth.failure().reason(), auth.failure().message());
            return;
        }
        if (!auth.token().type().apiAccess()) {
            AuthFailure failure = AuthFailure.NO_API_ACCESS;
            refuse(response, HttpStatus.FORBIDDEN, failure.reason(),
                    "A " + auth.token().type().label() + " cannot be used with the API.");
            return;
        }
        Actor actor = new Actor(auth.user().id(), auth.user().username(), auth.user().admin(), Source.API,
                request.getRemoteAddr());
        request.setAttribute(Caller.KEY, new Caller(auth.token(), auth.user(), actor));
        chain.doFilter(request, response);
    }

    static String presentedToken(HttpServletRequest request) {
        String header = request.getHeader("PRIVATE-TOKEN");
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }

    static HttpStatus statusOf(AuthFailure failure) {
        return switch (failure) {
            case USER_BLOCKED, INSUFFICIENT_SCOPE, NO_API_ACCESS -> HttpStatus.FORBIDDEN;
            default -> HttpStatus.UNAUTHORIZED;
        };
    }

    private static void refuse(HttpServletResponse response, HttpStatus status, String reason, String message)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"error\":\"" + reason + "\",\"message\":\"" + message.replace("\"", "'") + "\"}");
    }
}
