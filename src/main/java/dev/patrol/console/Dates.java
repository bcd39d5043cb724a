package dev.patrol.console;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Dates as scripts pass them: a LocalDate, "YYYY-MM-DD" or null. */
final class Dates {

    private Dates() {
    }

    static LocalDate of(Object value) {
        if (value == null || value instanceof LocalDate) {
            return (LocalDate) value;
        }
        try {
            return LocalDate.parse(value.toString());
        } catch (DateTimeParseException e) {
            throw new ScriptFailure("'" + value + "' is not a date like 2024-05-22.");
        }
    }
}
