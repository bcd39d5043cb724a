package dev.patrol.auth;

import java.io.IOException;
import java.util.Optional;

import org.springframework.http.HttpStatus;

import dev.patrol.token.AuthFailure;
import dev.patrol.token.Authentication;
import dev.patrol.token.TokenService;

/**
 * The {@link PresentedToken} and {@link Credentials} of the download door: redeems the {@code ticket} parameter
 * ({@link DownloadTickets}) and authenticates the token it stands for, so a token revoked or a user blocked since
 * the ticket was issued is refused. A missing, unknown, used or expired ticket is 401 {@code ticket_invalid} and
 * counts toward the address's ban, like a wrong token.
 */
final class TicketRedemption implements Step {

    private final DownloadTickets tickets;
    private final TokenService tokens;
    private final FailedAuthBan bans;

    TicketRedemption(DownloadTickets tickets, TokenService tokens, FailedAuthBan bans) {
        this.tickets = tickets;
        this.tokens = tokens;
        this.bans = bans;
    }

    @Override
    public boolean pass(Passage passage) throws IOException {
        Optional<Long> tokenId = tickets.redeem(passage.request.getParameter(DownloadTickets.PARAMETER));
        if (tokenId.isEmpty()) {
            bans.recordFailure(passage.ip);
            return passage.refuse(HttpStatus.UNAUTHORIZED, "ticket_invalid", "This download ticket is unknown, "
                    + "already used or expired (tickets last 60 seconds and work once); ask for a new one.");
        }
        Authentication auth = tokens.authenticateById(tokenId.get());
        passage.token = auth.token();
        if (!auth.succeeded()) {
            AuthFailure failure = auth.failure();
            return passage.refuse(failure == AuthFailure.USER_BLOCKED ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED,
                    failure.reason(), failure.message());
        }
        passage.user = auth.user();
        return true;
    }
}
