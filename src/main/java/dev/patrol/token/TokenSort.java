package dev.patrol.token;

import static patrol.jooq.Tables.ACCESS_TOKENS;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.function.Function;

import org.jooq.Field;

/** Orders of token lists, each backed by an index ending in the id, which breaks ties. */
public enum TokenSort {
    NAME_ASC(ACCESS_TOKENS.NAME, true, s -> s),
    NAME_DESC(ACCESS_TOKENS.NAME, false, s -> s),
    CREATED_ASC(ACCESS_TOKENS.CREATED_AT, true, LocalDateTime::parse),
    CREATED_DESC(ACCESS_TOKENS.CREATED_AT, false, LocalDateTime::parse),
    EXPIRES_ASC(ACCESS_TOKENS.EXPIRES_AT, true, LocalDate::parse),
    EXPIRES_DESC(ACCESS_TOKENS.EXPIRES_AT, false, LocalDate::parse),
    LAST_USED_ASC(ACCESS_TOKENS.LAST_USED_AT, true, LocalDateTime::parse),
    LAST_USED_DESC(ACCESS_TOKENS.LAST_USED_AT, false, LocalDateTime::parse);

    private final Field<?> field;
    private final boolean ascending;
    private final Function<String, Object> parser;

    TokenSort(Field<?> field, boolean ascending, Function<String, Object> parser) {
        this.field = field;
        this.ascending = ascending;
        this.parser = parser;
    }

    Field<?> field() {
        return field;
    }

    boolean ascending() {
        return ascending;
    }

    /** The sort key of a token, as stored in its cursor. */
    Object keyOf(AccessToken t) {
        return switch (this) {
            case NAME_ASC, NAME_DESC -> t.name();
            case CREATED_ASC, CREATED_DESC -> t.createdAt();
            case EXPIRES_ASC, EXPIRES_DESC -> t.expiresAt();
            case LAST_USED_ASC, LAST_USED_DESC -> t.lastUsedAt();
        };
    }

    Object parseKey(String value) {
        return value == null ? null : parser.apply(value);
    }
}
