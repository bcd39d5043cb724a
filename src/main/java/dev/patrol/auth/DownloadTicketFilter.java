package dev.patrol.auth;

import org.springframework.stereotype.Component;

import dev.patrol.database.DatabaseOutages;
import dev.patrol.graphql.GraphQlLimits;
import dev.patrol.token.TokenService;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The door of downloads by ticket ({@value #PATH}{@code ?ticket=}): the API's door with a ticket in place of the
 * token header ({@link TicketRedemption}); the request then acts with the ticket's token, its scopes checked as a
 * read. Only GETs of the export that carry a ticket come here; everything else takes the API's door.
 */
@Component
public class DownloadTicketFilter extends Door {

    static final String PATH = "/inventory/export";

    DownloadTicketFilter(DownloadTickets tickets, TokenService tokens, FailedAuthBan bans, UsageBuffer usage,
            ApiRequestLog requestLog, JsonMapper json, GraphQlLimits limits, DatabaseOutages outages) {
        super(requestLog, outages, RefusalFormat.json(json),
                new BanCheck(bans),
                new TicketRedemption(tickets, tokens, bans),
                TokenKind.apiAccess(),
                new ApiOperation(json, limits),
                new OperationScope(),
                new Admission(bans),
                new UsageRecording(usage));
    }

    /** Whether a request is a download by ticket; the API's door leaves these to this one. */
    static boolean isTicketDownload(HttpServletRequest request) {
        return PATH.equals(request.getRequestURI()) && "GET".equals(request.getMethod())
                && request.getParameter(DownloadTickets.PARAMETER) != null;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isTicketDownload(request);
    }
}
