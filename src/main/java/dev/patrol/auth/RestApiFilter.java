package dev.patrol.auth;

import org.springframework.stereotype.Component;

import dev.patrol.database.DatabaseOutages;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.shared.Caller;
import dev.patrol.token.TokenService;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The door of GitLab's REST API ({@value RestCall#PREFIX}{@code /**}), built of the GraphQL door's steps in the same
 * order, so a token is judged alike at both: a banned address is refused; the token comes from {@code PRIVATE-TOKEN}
 * or {@code Authorization: Bearer}; the call is read from the method and path ({@link RestCall}); the token is
 * authenticated (a revoked value on a rotate endpoint is reported as reuse before its 401); it must be a type with
 * API access; its scopes must allow the call; {@code Sudo} applies; then the {@link Caller} is stored and the usage
 * noted. Refusals, the request log and the 503 during a database outage are the API's. Runners verify their tokens
 * at {@value #RUNNERS_VERIFY}, which has a door of its own (the token is in the body).
 */
@Component
public class RestApiFilter extends Door {

    static final String RUNNERS_VERIFY = RestCall.PREFIX + "/runners/verify";

    RestApiFilter(AuthCache cache, FailedAuthBan bans, UsageBuffer usage, OwnerRepository owners,
            ApiRequestLog requestLog, JsonMapper json, TokenService tokenService,
            DatabaseOutages outages) {
        super(requestLog, outages, RefusalFormat.json(json),
                new BanCheck(bans),
                PresentedToken.inHeaders(),
                passage -> {
                    passage.call = RestCall.of(passage.request.getMethod(), passage.request.getRequestURI());
                    return true;
                },
                new Credentials(cache, bans, tokenService),
                TokenKind.apiAccess(),
                new OperationScope(),
                new Sudo(owners),
                new Admission(bans),
                new UsageRecording(usage));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith(RestCall.PREFIX + "/") || path.equals(RUNNERS_VERIFY);
    }
}
