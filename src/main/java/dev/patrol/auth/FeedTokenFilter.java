package dev.patrol.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.patrol.database.DatabaseOutages;
import dev.patrol.shared.Actor;
import dev.patrol.shared.Caller;
import dev.patrol.shared.Source;
import dev.patrol.token.AccessToken;
import dev.patrol.token.Authentication;
import dev.patrol.token.TokenType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The door of the calendar feed ({@value #PATH}{@code ?feed_token=}), behind the same ban and request log as the
 * API: a banned address is refused, a feed token that does not authenticate counts toward the ban, and every
 * request is one line in the request log (which records the path, never the query string with the token).
 * A feed token lets the request through with its {@link Caller}; refusals are plain text, as calendar clients
 * show them; a database that cannot be used is a 503 with {@code Retry-After}, as on the API.
 */
@Component
public class FeedTokenFilter extends OncePerRequestFilter {

    public static final String PATH = "/-/user_settings/personal_access_tokens.ics";

    private final AuthCache cache;
    private final FailedAuthBan bans;
    private final ApiRequestLog requestLog;
    private final DatabaseOutages outages;

    FeedTokenFilter(AuthCache cache, FailedAuthBan bans, ApiRequestLog requestLog, DatabaseOutages outages) {
        this.cache = cache;
        this.bans = bans;
        this.requestLog = requestLog;
        this.outages = outages;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().equals(PATH);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String ip = request.getRemoteAddr();
        ApiRequestLog.Entry entry = new ApiRequestLog.Entry(request.getMethod(), request.getRequestURI(), ip);
        try {
            if (authorize(request, response, entry, ip)) {
                chain.doFilter(request, response);
            }
        } catch (RuntimeException e) {
            Optional<String> outage = outages.messageFor(e);
            if (outage.isEmpty() || response.isCommitted()) {
                throw e;
            }
            response.reset();
            response.setHeader(HttpHeaders.RETRY_AFTER, TokenAuthenticationFilter.RETRY_AFTER_SECONDS);
            refuse(response, entry, HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable", null, outage.get());
        } finally {
            requestLog.write(entry, response.getStatus());
        }
    }

    /** Whether the request may go on; when not, the refusal has been written. */
    private boolean authorize(HttpServletRequest request, HttpServletResponse response, ApiRequestLog.Entry entry,
            String ip) throws IOException {
        if (bans.isBanned(ip)) {
            return refuse(response, entry, HttpStatus.FORBIDDEN, "ip_banned", null,
                    "Too many failed authentication attempts from your address; try again later.");
        }
        String value = request.getParameter("feed_token");
        if (value == null || value.isBlank()) {
            return refuse(response, entry, HttpStatus.UNAUTHORIZED, "token_missing", null,
                    "A feed token is required: add ?feed_token=<your feed token>.");
        }
        Authentication auth = cache.authenticate(value.strip());
        if (!auth.succeeded()) {
            HttpStatus status = TokenAuthenticationFilter.statusOf(auth.failure());
            if (status == HttpStatus.UNAUTHORIZED) {
                bans.recordFailure(ip);
            }
            return refuse(response, entry, status, auth.failure().reason(), auth.token(), auth.failure().message());
        }
        AccessToken token = auth.token();
        if (token.type() != TokenType.FEED) {
            return refuse(response, entry, HttpStatus.FORBIDDEN, "not_a_feed_token", token,
                    "Only a feed token can read this calendar.");
        }
        bans.recordSuccess(ip);
        request.setAttribute(Caller.KEY, new Caller(new Actor(auth.user().id(), auth.user().username(),
                auth.user().admin(), Source.API, ip), token.id(), token.scopeIds()));
        request.setAttribute(Caller.USER_KEY, auth.user());
        entry.put("user_id", auth.user().id()).put("user", auth.user().username()).put("token_id", tokenId(token));
        return true;
    }

    private static boolean refuse(HttpServletResponse response, ApiRequestLog.Entry entry, HttpStatus status,
            String reason, AccessToken token, String message) throws IOException {
        entry.failure(reason, token == null ? null : tokenId(token), null);
        response.setStatus(status.value());
        response.setContentType(MediaType.TEXT_PLAIN_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(message + "\n");
        return false;
    }

    private static String tokenId(AccessToken token) {
        return token.type().modelName() + "/" + token.id();
    }
}
