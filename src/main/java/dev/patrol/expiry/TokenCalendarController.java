package dev.patrol.expiry;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

import dev.patrol.auth.FeedTokenFilter;
import dev.patrol.owner.User;
import dev.patrol.shared.Caller;

/**
 * Serves the personal access token expiry calendar to the owner of the feed token that
 * {@link FeedTokenFilter} authenticated.
 */
@RestController
class TokenCalendarController {

    private static final MediaType CALENDAR = new MediaType("text", "calendar", java.nio.charset.StandardCharsets.UTF_8);

    private final TokenCalendar calendar;

    TokenCalendarController(TokenCalendar calendar) {
        this.calendar = calendar;
    }

    @GetMapping(FeedTokenFilter.PATH)
    ResponseEntity<String> personalAccessTokens(@RequestAttribute(Caller.USER_KEY) User user) {
        return ResponseEntity.ok().contentType(CALENDAR)
                .header("Cache-Control", "private, no-store")
                .body(calendar.of(user));
    }
}
