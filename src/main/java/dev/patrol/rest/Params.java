package dev.patrol.rest;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a REST call, wherever the client put them: the JSON body, the form body or the query string
 * (GitLab reads all three; {@code scopes[]=api} and {@code scopes=api,read_api} alike). Parameters a call does not
 * declare are ignored, as GitLab ignores them; one it declares but cannot read is a 400 naming it, never echoing a
 * long value.
 */
final class Params {

    private final Map<String, Object> body;
    private final Map<String, String[]> query;

    Params(Map<String, Object> body, Map<String, String[]> query) {
        this.body = body;
        this.query = query;
    }

    private Object raw(String name) {
        if (body.get(name) != null) {
            return body.get(name);
        }
        String[] values = query.get(name);
        if (values == null) {
            values = query.get(name + "[]");
        }
        return values == null || values.length == 0 ? null : values;
    }

    String string(String name) {
        Object value = raw(name);
        String text = switch (value) {
            case null -> null;
            case String s -> s;
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case String[] values -> values[0];
            default -> throw RestError.invalid(name);
        };
        return text == null || text.isBlank() ? null : text.strip();
    }

    String required(String name) {
        String value = string(name);
        if (value == null) {
            throw RestError.missing(name);
        }
        return value;
    }

    /** A list: a JSON array, repeated or bracketed query parameters, or one comma-separated value. */
    List<String> list(String name) {
        Object value = raw(name);
        List<String> items = new ArrayList<>();
        switch (value) {
            case null -> {
                return null;
            }
            case List<?> list -> list.forEach(item -> {
                if (!(item instanceof String s)) {
                    throw RestError.invalid(name);
                }
                items.add(s);
            });
            case String s -> items.add(s);
            case String[] values -> items.addAll(Arrays.asList(values));
            default -> throw RestError.invalid(name);
        }
        return items.stream().flatMap(item -> Arrays.stream(item.split(","))).map(String::strip)
                .filter(item -> !item.isEmpty()).toList();
    }

    List<String> requiredList(String name) {
        List<String> values = list(name);
        if (values == null || values.isEmpty()) {
            throw RestError.missing(name);
        }
        return values;
    }

    Integer integer(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw RestError.invalid(name);
        }
    }

    Long id(String name) {
        String value = string(name);
        return value == null ? null : Ids.parse(value, name);
    }

    Boolean bool(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw RestError.invalid(name);
        };
    }

    /** A date ({@code 2027-01-31}), or a time whose UTC date is taken ({@code 2027-01-31T00:00:00Z}). */
    LocalDate date(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value)
                    : OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeParseException e) {
            throw RestError.invalid(name);
        }
    }

    /** A time ({@code 2026-11-30T08:00:00Z}), or a date meaning its start in UTC. */
    OffsetDateTime time(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC)
                    : OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw RestError.invalid(name);
        }
    }
}
