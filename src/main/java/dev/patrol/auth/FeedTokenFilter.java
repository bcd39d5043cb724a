package dev.patrol.auth;

import org.springframework.stereotype.Component;

import dev.patrol.database.DatabaseOutages;
import dev.patrol.shared.Caller;
import dev.patrol.token.TokenService;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The door of the calendar feed ({@value #PATH}{@code ?feed_token=}), built of the API's steps: a banned address is
 * refused, the token comes from the {@code feed_token} parameter, a token that does not authenticate counts toward
 * the ban, and only a feed token lets the request through with its {@link Caller}. Refusals are plain text, as
 * calendar clients show them. As on the API, every request is one line in the request log (which records the path,
 * never the query string with the token) and a database that cannot be used is a 503 ({@link Door}).
 */
@Component
public class FeedTokenFilter extends Door {

    public static final String PATH = "/-/user_settings/personal_access_tokens.ics";

    FeedTokenFilter(AuthCache cache, FailedAuthBan bans, ApiRequestLog requestLog, TokenService tokenService,
            DatabaseOutages outages) {
        super(requestLog, outages, RefusalFormat.plainText(),
                new BanCheck(bans),
                PresentedToken.inParameter("feed_token",
                        "A feed token is required: add ?feed_token=<your feed token>."),
                new Credentials(cache, bans, tokenService),
                TokenKind.feed(),
                new Admission(bans));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().equals(PATH);
    }
}
