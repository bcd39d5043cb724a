package dev.patrol.expiry;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.patrol.token.Authentication;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/** Serves the personal access token expiry calendar, authenticated by the user's feed token. */
@RestController
class TokenCalendarController {

    private static final MediaType CALENDAR = new MediaType("text", "calendar", java.nio.charset.StandardCharsets.UTF_8);

    private final TokenService tokens;
    private final TokenCalendar calendar;

    TokenCalendarController(TokenService tokens, TokenCalendar calendar) {
        this.tokens = tokens;
        this.calendar = calendar;
    }

    @GetMapping("/-/user_settings/personal_access_tokens.ics")
    ResponseEntity<String> personalAccessTokens(@RequestParam(name = "feed_token", required = false) String feedToken) {
        if (feedToken == null || feedToken.isBlank()) {
            return refuse(HttpStatus.UNAUTHORIZED, "A feed token is required: add ?feed_token=<your feed token>.");
        }
        Authentication auth = tokens.authenticate(feedToken.strip());
        if (!auth.succeeded()) {
            return refuse(HttpStatus.UNAUTHORIZED, auth.failure().message());
        }
        if (auth.token().type() != TokenType.FEED) {
            return refuse(HttpStatus.FORBIDDEN, "Only a feed token can read this calendar.");
        }
        return ResponseEntity.ok().contentType(CALENDAR)
                .header("Cache-Control", "private, no-store")
                .body(calendar.of(auth.user()));
    }

    private static ResponseEntity<String> refuse(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(message + "\n");
    }
}
