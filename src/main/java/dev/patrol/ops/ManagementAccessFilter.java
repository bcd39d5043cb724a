package dev.patrol.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.patrol.shared.IpRange;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The management port's door. The liveness and readiness probes are open (their answer is a status and nothing
 * else; with the token they show their components). Everything else (info, the Prometheus scrape, health details)
 * needs a client address on the allowlist (else 403) and {@code Authorization: Bearer} with the configured token
 * (else 401), and gets no data otherwise.
 * The token is compared in constant time and is never a Patrol token: a scrape never touches the database.
 */
final class ManagementAccessFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final String basePath;
    private final Set<String> probes;
    private final byte[] tokenDigest;
    private final List<IpRange> allowlist;

    ManagementAccessFilter(String basePath, ManagementProperties properties) {
        this.basePath = basePath;
        this.probes = Set.of(basePath + "/health/liveness", basePath + "/health/readiness");
        String token = properties.token();
        this.tokenDigest = token == null || token.isBlank() ? null : sha256(token.strip());
        this.allowlist = properties.allowlist().stream().map(IpRange::parse).toList();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.equals(basePath) || path.startsWith(basePath + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean probe = probes.contains(request.getRequestURI());
        if (probe && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            chain.doFilter(request, response);
            return;
        }
        String ip = request.getRemoteAddr();
        if (allowlist.stream().noneMatch(range -> range.contains(ip))) {
            refuse(response, HttpStatus.FORBIDDEN, "address_not_allowed",
                    "This address may not use the management port (patrol.management.allowlist).");
            return;
        }
        if (tokenDigest == null) {
            refuse(response, HttpStatus.FORBIDDEN, "management_token_not_set",
                    "No management token is configured (patrol.management.token); only the probes are served.");
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || !MessageDigest.isEqual(tokenDigest, sha256(header.substring(BEARER.length()).strip()))) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"patrol-management\"");
            refuse(response, HttpStatus.UNAUTHORIZED, "management_token_invalid",
                    "Send the management token as Authorization: Bearer <token>.");
            return;
        }
        chain.doFilter(new Operator(request), response);
    }

    /** The token holder, as the actuator asks for it ({@code show-details: when-authorized}). */
    private static final class Operator extends HttpServletRequestWrapper {

        private static final Principal OPERATOR = () -> "management-token";

        Operator(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return OPERATOR;
        }

        @Override
        public boolean isUserInRole(String role) {
            return true;
        }
    }

    private static void refuse(HttpServletResponse response, HttpStatus status, String error, String message)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
