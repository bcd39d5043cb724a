package dev.patrol.expiry;

import static patrol.jooq.Tables.ACCESS_TOKENS;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.jooq.DSLContext;
import org.jooq.Records;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.owner.User;
import dev.patrol.token.TokenType;

/**
 * A user's personal access token expiry dates as an RFC 5545 calendar: one all-day event per active token
 * with an expiry date, on the day it stops working.
 */
@Service
public class TokenCalendar {

    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String CRLF = "\r\n";

    private final DSLContext dsl;
    private final Clock clock;

    TokenCalendar(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public String of(User user) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        String stamp = STAMP.format(ZonedDateTime.now(clock.withZone(ZoneOffset.UTC)));
        StringBuilder ics = new StringBuilder();
        line(ics, "BEGIN:VCALENDAR");
        line(ics, "VERSION:2.0");
        line(ics, "PRODID:-//Patrol//Personal access token expiry//EN");
        line(ics, "CALSCALE:GREGORIAN");
        line(ics, "METHOD:PUBLISH");
        line(ics, "X-WR-CALNAME:" + text("Personal access tokens of " + user.username()));
        dsl.select(ACCESS_TOKENS.ID, ACCESS_TOKENS.NAME, ACCESS_TOKENS.EXPIRES_AT)
                .from(ACCESS_TOKENS)
                .where(ACCESS_TOKENS.USER_ID.eq(user.id()),
                        ACCESS_TOKENS.TYPE.in(TokenType.where(TokenType::onExpiryCalendar)),
                        ACCESS_TOKENS.REVOKED_AT.isNull(), ACCESS_TOKENS.EXPIRES_AT.gt(today))
                .orderBy(ACCESS_TOKENS.EXPIRES_AT, ACCESS_TOKENS.ID)
                .fetch(Records.mapping(Expiring::new))
                .forEach(token -> {
                    LocalDate expiresAt = token.expiresAt();
                    line(ics, "BEGIN:VEVENT");
                    line(ics, "UID:personal-access-token-" + token.id() + "-" + DATE.format(expiresAt) + "@patrol");
                    line(ics, "DTSTAMP:" + stamp);
                    line(ics, "DTSTART;VALUE=DATE:" + DATE.format(expiresAt));
                    line(ics, "DTEND;VALUE=DATE:" + DATE.format(expiresAt.plusDays(1)));
                    line(ics, "SUMMARY:" + text("Personal access token '" + token.name() + "' expires"));
                    line(ics, "DESCRIPTION:" + text("From 00:00 UTC on " + expiresAt + " requests with this token "
                            + "are refused. Rotate or extend it before then if it is still needed."));
                    line(ics, "TRANSP:TRANSPARENT");
                    line(ics, "END:VEVENT");
                });
        line(ics, "END:VCALENDAR");
        return ics.toString();
    }

    private record Expiring(long id, String name, LocalDate expiresAt) {
    }

    /** Escapes a TEXT value (RFC 5545 3.3.11). */
    private static String text(String value) {
        return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
                .replace("\n", "\\n");
    }

    /** Appends a content line, folded so no physical line exceeds 75 octets (RFC 5545 3.1). */
    private static void line(StringBuilder ics, String content) {
        int octets = 0;
        for (int i = 0; i < content.length(); ) {
            int cp = content.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > 75) {
                ics.append(CRLF).append(' ');
                octets = 1;
            }
            ics.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        ics.append(CRLF);
    }
}
