package dev.patrol.auth;

import static patrol.jooq.Tables.AUTH_CHANGES;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.DatePart;
import org.jooq.Field;
import org.jooq.Records;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * The change log of authentications that stopped being valid, written in the transaction that changes them and read
 * by every instance ({@link AuthChangeLog}). Times are the database's: the instances' clocks play no part.
 */
@Repository
class AuthChanges {

    /** More revoked tokens than this in one transaction (a bulk revoke) are logged as one "drop everything". */
    static final int MOST_ROWS_PER_CHANGE = 500;

    enum Kind {
        TOKEN, USER, ADDRESS, ALL
    }

    record Change(long id, Kind kind, String subject) {
    }

    private final DSLContext dsl;

    AuthChanges(DSLContext dsl) {
        this.dsl = dsl;
    }

    void tokensRevoked(Collection<Long> ids) {
        if (ids.size() > MOST_ROWS_PER_CHANGE) {
            insert(Kind.ALL, List.of("*"));
        } else {
            insert(Kind.TOKEN, ids.stream().map(String::valueOf).toList());
        }
    }

    void userChanged(long userId) {
        insert(Kind.USER, List.of(String.valueOf(userId)));
    }

    void addressBanned(String ip) {
        insert(Kind.ADDRESS, List.of(ip));
    }

    /**
     * Every change written within the last {@code seconds} by the database's clock, by the index on the time. Ids are
     * not commit order (Galera interleaves them across nodes, and one server commits out of id order too), so the
     * caller reads a window again and again rather than asking for ids above the last it saw.
     */
    List<Change> recent(long seconds) {
        return dsl.select(AUTH_CHANGES.ID, AUTH_CHANGES.KIND, AUTH_CHANGES.SUBJECT)
                .from(AUTH_CHANGES)
                .where(AUTH_CHANGES.CHANGED_AT.ge(since(seconds)))
                .fetch(Records.mapping((id, kind, subject) -> new Change(id, kind(kind), subject)));
    }

    /** A kind this version does not know (written by a newer one) drops everything rather than nothing. */
    private static Kind kind(String name) {
        for (Kind kind : Kind.values()) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        return Kind.ALL;
    }

    int purgeOlderThan(long seconds) {
        return dsl.deleteFrom(AUTH_CHANGES).where(AUTH_CHANGES.CHANGED_AT.lt(since(seconds))).execute();
    }

    private void insert(Kind kind, List<String> subjects) {
        var insert = dsl.insertInto(AUTH_CHANGES, AUTH_CHANGES.KIND, AUTH_CHANGES.SUBJECT);
        for (String subject : subjects) {
            insert = insert.values(kind.name(), subject);
        }
        insert.execute();
    }

    private static Field<LocalDateTime> since(long seconds) {
        return DSL.localDateTimeSub(DSL.currentLocalDateTime(3), seconds, DatePart.SECOND);
    }
}
