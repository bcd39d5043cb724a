package dev.patrol.graphql;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The rules for dates and instants that clients send (the {@code Date} and {@code Time} scalars, the export's
 * parameters): ISO-8601 text, parsed strictly (2027-02-30 is refused, never rounded to the 28th), between
 * 1970-01-01 and 9999-12-31, the range both databases store. Messages are plain and quote at most
 * {@value #MAX_QUOTED} characters of the input.
 */
public final class DateInput {

    public static final LocalDate MIN = LocalDate.of(1970, 1, 1);
    public static final LocalDate MAX = LocalDate.of(9999, 12, 31);
    static final int MAX_QUOTED = 40;

    private static final String DATE_FORM = "use an ISO-8601 calendar date, YYYY-MM-DD (e.g. 2026-05-30)";
    private static final String TIME_FORM = "use an ISO-8601 instant with an offset, YYYY-MM-DDThh:mm:ssZ "
            + "(e.g. 2026-05-30T13:45:00Z)";

    private DateInput() {
    }

    /** The date {@code text} names; an {@link IllegalArgumentException} with a plain message otherwise. */
    public static LocalDate date(String text) {
        LocalDate date;
        try {
            date = LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(impossible(e) ? quote(text) + " is not a real calendar date."
                    : quote(text) + " is not a date: " + DATE_FORM + ".");
        }
        return inRange(date, text);
    }

    /** The instant {@code text} names, with its offset; an {@link IllegalArgumentException} otherwise. */
    public static OffsetDateTime time(String text) {
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(impossible(e) ? quote(text) + " is not a real calendar date."
                    : quote(text) + " is not an instant: " + TIME_FORM + ".");
        }
        inRange(time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate(), text);
        return time;
    }

    /** Refuses a date outside 1970-01-01 … 9999-12-31. */
    public static LocalDate inRange(LocalDate date, Object input) {
        if (date.isBefore(MIN) || date.isAfter(MAX)) {
            throw new IllegalArgumentException(quote(input) + " is outside the supported range " + MIN + " to "
                    + MAX + ".");
        }
        return date;
    }

    /** The input in quotes, cut to {@value #MAX_QUOTED} characters: an error never echoes a large input back. */
    public static String quote(Object input) {
        String text = String.valueOf(input);
        return "'" + (text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "…") + "'";
    }

    /** The text has the right form but names a day that does not exist (February 30th, month 13). */
    private static boolean impossible(DateTimeParseException e) {
        return e.getCause() instanceof DateTimeException;
    }
}
