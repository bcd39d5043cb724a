package dev.patrol.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.patrol.database.DatabaseOutages;
import dev.patrol.graphql.GraphQlLimits;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.shared.Caller;
import dev.patrol.shared.Source;
import dev.patrol.token.AccessToken;
import dev.patrol.token.AuthFailure;
import dev.patrol.token.Authentication;
import dev.patrol.token.Scope;
import dev.patrol.token.TokenService;
import graphql.language.Document;
import graphql.parser.Parser;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's door ({@code /graphql}, {@code /inventory/**}): refuses banned addresses, authenticates the token
 * ({@code PRIVATE-TOKEN: <token>} or {@code Authorization: Bearer <token>}), checks that its scopes allow this
 * operation (reads need {@code read_api} or {@code api}, writes {@code api}, and {@code self_rotate} alone allows
 * only rotating the token itself), applies {@code Sudo: username} for administrators' sudo tokens, stores the
 * {@link Caller} as a request attribute, notes the usage and logs the request. A revoked token presented on a rotate
 * request is handed to {@link TokenService#revokedValuePresentedForRotation} (reuse detection) before its 401. Refusals are 401 (no usable token),
 * 403 (a token that may not do this, or a banned address) or 405 (a mutation over GET), with a JSON body that says
 * why and never repeats the token. While the database cannot be used the answer is 503 with {@code Retry-After}.
 */
@Component
public class TokenAuthenticationFilter extends OncePerRequestFilter {

    /** Larger request bodies are refused before they are parsed; queries are limited far below this anyway. */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final String SUDO_HEADER = "Sudo";
    /** How long a client should wait before trying again while the database cannot be used. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final AuthCache cache;
    private final FailedAuthBan bans;
    private final UsageBuffer usage;
    private final OwnerRepository owners;
    private final ApiRequestLog requestLog;
    private final JsonMapper json;
    private final GraphQlLimits limits;
    private final TokenService tokenService;
    private final DatabaseOutages outages;
    /** Parsed documents by query text: clients repeat the same few queries. */
    private final Cache<String, Document> documents = Caffeine.newBuilder().maximumSize(1_000).build();

    public TokenAuthenticationFilter(AuthCache cache, FailedAuthBan bans, UsageBuffer usage, OwnerRepository owners,
            ApiRequestLog requestLog, JsonMapper json, GraphQlLimits limits, TokenService tokenService,
            DatabaseOutages outages) {
        this.cache = cache;
        this.bans = bans;
        this.usage = usage;
        this.owners = owners;
        this.requestLog = requestLog;
        this.json = json;
        this.limits = limits;
        this.tokenService = tokenService;
        this.outages = outages;
    }

    private record Refusal(HttpStatus status, String reason, String message) {

        /** Refusals about the request itself rather than its credentials; not logged as auth failures. */
        boolean aboutRequest() {
            return status == HttpStatus.METHOD_NOT_ALLOWED || status == HttpStatus.CONTENT_TOO_LARGE
                    || status == HttpStatus.SERVICE_UNAVAILABLE;
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.equals("/graphql") || path.startsWith("/inventory/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String ip = request.getRemoteAddr();
        ApiRequestLog.Entry entry = new ApiRequestLog.Entry(request.getMethod(), request.getRequestURI(), ip);
        try {
            HttpServletRequest forwarded = authorize(request, response, entry, ip);
            if (forwarded != null) {
                chain.doFilter(forwarded, response);
            }
        } catch (RuntimeException | ServletException e) {
            Optional<String> outage = outages.messageFor(e);
            if (outage.isEmpty() || response.isCommitted()) {
                throw e;
            }
            response.reset();
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            refuse(response, entry, new Refusal(HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable",
                    outage.get()), null, null);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new LogOnCompletion(entry, response));
            } else {
                requestLog.write(entry, response.getStatus());
            }
        }
    }

    /** The request to pass on, or null when a refusal has been written. */
    private HttpServletRequest authorize(HttpServletRequest request, HttpServletResponse response,
            ApiRequestLog.Entry entry, String ip) throws IOException {
        if (bans.isBanned(ip)) {
            return refuse(response, entry, new Refusal(HttpStatus.FORBIDDEN, "ip_banned",
                    "Too many failed authentication attempts from your address; try again later."), null, null);
        }
        String value = presentedToken(request);
        if (value == null) {
            return refuse(response, entry, new Refusal(HttpStatus.UNAUTHORIZED, "token_missing",
                    "Authentication required: send a token in the PRIVATE-TOKEN header or as "
                            + "'Authorization: Bearer <token>'."), null, null);
        }
        byte[] body = null;
        if (HttpMethod.POST.matches(request.getMethod()) && request.getRequestURI().equals("/graphql")) {
            body = readBody(request);
            if (body == null) {
                return refuse(response, entry, new Refusal(HttpStatus.CONTENT_TOO_LARGE, "request_too_large",
                        "The request body is larger than " + MAX_BODY_BYTES + " bytes."), null, null);
            }
        }
        ApiCall call = call(request, body);
        Authentication auth = cache.authenticate(value);
        if (!auth.succeeded()) {
            if (auth.failure() == AuthFailure.REVOKED && call.rotates()) {
                tokenService.revokedValuePresentedForRotation(auth.token(), ip);
            }
            if (statusOf(auth.failure()) == HttpStatus.UNAUTHORIZED) {
                bans.recordFailure(ip);
            }
            return refuse(response, entry, new Refusal(statusOf(auth.failure()), auth.failure().reason(),
                    auth.failure().message()), auth.token(), call);
        }
        AccessToken token = auth.token();
        if (!token.type().apiAccess()) {
            return refuse(response, entry, new Refusal(HttpStatus.FORBIDDEN, AuthFailure.NO_API_ACCESS.reason(),
                    "A " + token.type().label() + " cannot be used with the API."), token, call);
        }
        if (HttpMethod.GET.matches(request.getMethod()) && call.kind() == ApiCall.Kind.WRITE
                && request.getRequestURI().equals("/graphql")) {
            response.setHeader("Allow", "POST");
            return refuse(response, entry, new Refusal(HttpStatus.METHOD_NOT_ALLOWED, "mutation_over_get",
                    "Mutations must be sent with POST."), token, call);
        }
        Scope scope = scopeFor(token, call);
        if (scope == null) {
            return refuse(response, entry, new Refusal(HttpStatus.FORBIDDEN, AuthFailure.INSUFFICIENT_SCOPE.reason(),
                    call.kind() == ApiCall.Kind.READ
                            ? "This request needs a token with the read_api or api scope."
                            : "This request needs a token with the api scope (self_rotate allows only rotating "
                                    + "the token itself)."), token, call);
        }
        User user = auth.user();
        User sudoer = null;
        String sudo = request.getHeader(SUDO_HEADER);
        if (sudo != null && !sudo.isBlank()) {
            Optional<User> target = Optional.empty();
            Refusal refusal = sudoRefusal(token, user);
            if (refusal == null) {
                target = owners.findUserByUsername(sudo.strip());
                if (target.isEmpty()) {
                    refusal = new Refusal(HttpStatus.NOT_FOUND, "sudo_user_not_found",
                            "No user is called '" + sudo.strip() + "'.");
                } else if (target.get().isBlocked()) {
                    refusal = new Refusal(HttpStatus.FORBIDDEN, AuthFailure.USER_BLOCKED.reason(),
                            "The Sudo user is blocked.");
                }
            }
            if (refusal != null) {
                return refuseNeeding(response, entry, refusal, token, Scope.SUDO.id());
            }
            sudoer = user;
            user = target.get();
        }
        bans.recordSuccess(ip);
        usage.record(token.id(), ip, scope);
        Actor actor = new Actor(user.id(), user.username(), user.admin(), Source.API, ip);
        request.setAttribute(Caller.KEY, new Caller(actor, token.id(), token.scopeIds()));
        request.setAttribute(Caller.USER_KEY, user);
        entry.put("user_id", user.id()).put("user", user.username()).put("token_id", tokenId(token))
                .put("sudo_by", sudoer == null ? null : sudoer.username());
        return body == null ? request : new CachedBodyRequest(request, body);
    }

    /** Why this token may not use {@code Sudo}, or null when it may. */
    private static Refusal sudoRefusal(AccessToken token, User user) {
        if (!token.hasScope(Scope.SUDO)) {
            return new Refusal(HttpStatus.FORBIDDEN, AuthFailure.INSUFFICIENT_SCOPE.reason(),
                    "The Sudo header needs a token with the sudo scope.");
        }
        if (user == null || !user.admin()) {
            return new Refusal(HttpStatus.FORBIDDEN, "sudo_not_admin", "Only an administrator's token can use Sudo.");
        }
        return null;
    }

    /** The narrowest of the token's scopes that allows the call, or null when none does. */
    static Scope scopeFor(AccessToken token, ApiCall call) {
        if (call.kind() == ApiCall.Kind.READ) {
            return token.hasScope(Scope.READ_API) ? Scope.READ_API : token.hasScope(Scope.API) ? Scope.API : null;
        }
        if (token.hasScope(Scope.API)) {
            return Scope.API;
        }
        return token.hasScope(Scope.SELF_ROTATE) && call.isSelfRotationOf(token) ? Scope.SELF_ROTATE : null;
    }

    private ApiCall call(HttpServletRequest request, byte[] body) {
        if (!request.getRequestURI().equals("/graphql")) {
            return HttpMethod.GET.matches(request.getMethod()) ? ApiCall.read() : ApiCall.write();
        }
        if (body == null) {
            return ApiCall.graphQl(request.getParameter("query"), request.getParameter("operationName"),
                    variablesParameter(request), limits.maxQueryLength(), this::parse);
        }
        String contentType = request.getContentType();
        if (contentType != null && contentType.startsWith("application/graphql")
                && !contentType.startsWith("application/graphql-response")) {
            return ApiCall.graphQl(new String(body, StandardCharsets.UTF_8), request.getParameter("operationName"),
                    Map.of(), limits.maxQueryLength(), this::parse);
        }
        try {
            Map<?, ?> map = json.readValue(body, Map.class);
            return ApiCall.graphQl(map.get("query") instanceof String q ? q : null,
                    map.get("operationName") instanceof String name ? name : null, stringKeys(map.get("variables")),
                    limits.maxQueryLength(), this::parse);
        } catch (JacksonException e) {
            return ApiCall.read();
        }
    }

    private Document parse(String query) {
        return documents.get(query, Parser::parse);
    }

    private Map<String, Object> variablesParameter(HttpServletRequest request) {
        String variables = request.getParameter("variables");
        if (variables == null || variables.isBlank()) {
            return Map.of();
        }
        try {
            return stringKeys(json.readValue(variables, Map.class));
        } catch (JacksonException e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
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

    private static String tokenId(AccessToken token) {
        return token == null ? null : token.type().modelName() + "/" + token.id();
    }

    private static String requestedScopes(ApiCall call) {
        if (call == null) {
            return null;
        }
        return call.kind() == ApiCall.Kind.READ ? "read_api api" : "api";
    }

    private HttpServletRequest refuse(HttpServletResponse response, ApiRequestLog.Entry entry, Refusal refusal,
            AccessToken token, ApiCall call) throws IOException {
        return refuseNeeding(response, entry, refusal, token, requestedScopes(call));
    }

    private HttpServletRequest refuseNeeding(HttpServletResponse response, ApiRequestLog.Entry entry, Refusal refusal,
            AccessToken token, String requestedScopes) throws IOException {
        if (refusal.aboutRequest()) {
            entry.put("error", refusal.reason());
        } else {
            entry.failure(refusal.reason(), tokenId(token), requestedScopes);
        }
        response.setStatus(refusal.status().value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(json.writeValueAsString(Map.of("error", refusal.reason(), "message",
                refusal.message())));
        return null;
    }

    private final class LogOnCompletion implements AsyncListener {

        private final ApiRequestLog.Entry entry;
        private final HttpServletResponse response;

        LogOnCompletion(ApiRequestLog.Entry entry, HttpServletResponse response) {
            this.entry = entry;
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            requestLog.write(entry, response.getStatus());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
