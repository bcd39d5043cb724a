package dev.patrol.auth;

import org.springframework.stereotype.Component;

import dev.patrol.database.DatabaseOutages;
import dev.patrol.graphql.GraphQlLimits;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.shared.Caller;
import dev.patrol.token.TokenService;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's door ({@code /graphql}, {@code /inventory/**}). In order: a banned address is refused; the token comes
 * from {@code PRIVATE-TOKEN: <token>} or {@code Authorization: Bearer <token>}; a GraphQL body over 1 MiB is
 * refused and the operation is read; the token is authenticated (a revoked token on a rotate request is reported
 * as reuse before its 401); it must be a type with API access; a mutation must be POSTed; its scopes must allow
 * the operation; {@code Sudo: username} is applied for administrators' sudo tokens; then the {@link Caller} is
 * stored and the usage noted. Refusals are 401 (no usable token), 403 (a token that may not do this, or a banned
 * address), 404 (no such {@code Sudo} user), 405 (a mutation over GET) or 413, with a JSON body that says why and
 * never repeats the token. Every request is logged; during a database outage the answer is 503 ({@link Door}).
 */
@Component
public class TokenAuthenticationFilter extends Door {

    TokenAuthenticationFilter(AuthCache cache, FailedAuthBan bans, UsageBuffer usage, OwnerRepository owners,
            ApiRequestLog requestLog, JsonMapper json, GraphQlLimits limits, TokenService tokenService,
            DatabaseOutages outages) {
        super(requestLog, outages, RefusalFormat.json(json),
                new BanCheck(bans),
                PresentedToken.inHeaders(),
                new BodyLimit(),
                new ApiOperation(json, limits),
                new Credentials(cache, bans, tokenService),
                TokenKind.apiAccess(),
                new MutationsNeedPost(),
                new OperationScope(),
                new Sudo(owners),
                new Admission(bans),
                new UsageRecording(usage));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.equals(ApiOperation.GRAPHQL_PATH) || path.startsWith("/inventory/"))
                || DownloadTicketFilter.isTicketDownload(request);
    }
}
