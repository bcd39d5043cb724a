package dev.patrol.token;

import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.ACCESS_TOKEN_SCOPES;
import static patrol.jooq.Tables.USERS;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SortField;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.shared.Actor;
import dev.patrol.shared.Connection;
import dev.patrol.shared.Cursors;
import dev.patrol.shared.PageRequest;
import dev.patrol.shared.PatrolException;

/**
 * Token lists: what an actor may see ({@link TokenAccessPolicy#visibleTo}), filtered, sorted and paged by keyset.
 * Everything is one SQL statement per page (and a COUNT only when asked for), so the API, the console and the
 * benchmarks get the same rules and the same plans. Scopes are left empty: callers batch-load them.
 */
@Service
public class TokenSearch {

    private final DSLContext dsl;
    private final TokenService tokens;
    private final TokenAccessPolicy policy;

    public TokenSearch(DSLContext dsl, TokenService tokens, TokenAccessPolicy policy) {
        this.dsl = dsl;
        this.tokens = tokens;
        this.policy = policy;
    }

    @Transactional(readOnly = true)
    public Connection<AccessToken> search(Actor actor, TokenListScope scope, TokenFilter filter, TokenSort sort,
            PageRequest page) {
        TokenSort order = sort == null ? TokenSort.CREATED_DESC : sort;
        Condition where = policy.visibleTo(actor).and(scoped(scope)).and(filtered(filter == null ? TokenFilter.none() : filter));
        boolean ascending = order.ascending() != page.backward();
        Condition seek = DSL.noCondition();
        if (page.cursor() != null) {
            List<String> key = Cursors.decode(page.cursor(), order.name(), 2);
            long id;
            Object value;
            try {
                id = Long.parseLong(key.get(1));
                value = order.parseKey(key.get(0));
            } catch (RuntimeException e) {
                throw PatrolException.badInput("The cursor is not valid for this list and sort order.");
            }
            seek = after(order.field(), value, id, ascending);
        }
        List<AccessToken> rows = page.size() == 0 ? List.of()
                : dsl.select(TokenRepository.COLUMNS).from(ACCESS_TOKENS)
                        .where(where).and(seek)
                        .orderBy(orderBy(order.field(), ascending))
                        .limit(page.size() + 1)
                        .fetch(TokenRepository::toToken);
        Condition countWhere = where;
        return Connection.of(rows, page.size(), page.backward(), page.cursor() != null,
                t -> Cursors.encode(order.name(), order.keyOf(t), t.id()),
                () -> dsl.fetchCount(ACCESS_TOKENS, countWhere));
    }

    /**
     * The page that starts {@code offset} rows into the list, for clients of GitLab's REST API that ask for a page by
     * number without a cursor; its cursors let them go on by keyset. The database walks the skipped rows, so callers
     * bound the offset.
     */
    @Transactional(readOnly = true)
    public Connection<AccessToken> searchFrom(Actor actor, TokenListScope scope, TokenFilter filter, TokenSort sort,
            int offset, int size) {
        TokenSort order = sort == null ? TokenSort.CREATED_DESC : sort;
        Condition where = policy.visibleTo(actor).and(scoped(scope))
                .and(filtered(filter == null ? TokenFilter.none() : filter));
        List<AccessToken> rows = size == 0 ? List.of()
                : dsl.select(TokenRepository.COLUMNS).from(ACCESS_TOKENS).where(where)
                        .orderBy(orderBy(order.field(), order.ascending()))
                        .limit(size + 1).offset(offset)
                        .fetch(TokenRepository::toToken);
        return Connection.of(rows, size, false, offset > 0, t -> Cursors.encode(order.name(), order.keyOf(t), t.id()),
                () -> dsl.fetchCount(ACCESS_TOKENS, where));
    }

    /**
     * How many tokens the list holds, counting no further than {@code limit + 1}: a bounded price for a total that is
     * only worth giving for lists that small (GitLab leaves it out above 10,000 too).
     */
    @Transactional(readOnly = true)
    public long countUpTo(Actor actor, TokenListScope scope, TokenFilter filter, int limit) {
        Condition where = policy.visibleTo(actor).and(scoped(scope))
                .and(filtered(filter == null ? TokenFilter.none() : filter));
        // Not fetchCount(select): jOOQ names the derived table's columns, "AS t (v0)", which MariaDB refuses.
        return dsl.selectCount().from(dsl.select(ACCESS_TOKENS.ID).from(ACCESS_TOKENS).where(where).limit(limit + 1)
                .asTable("bounded")).fetchSingle(0, long.class);
    }

    private static Condition scoped(TokenListScope scope) {
        Condition c = DSL.noCondition();
        if (scope.userId() != null) {
            c = c.and(ACCESS_TOKENS.USER_ID.eq(scope.userId()));
        }
        if (scope.projectId() != null) {
            c = c.and(ACCESS_TOKENS.PROJECT_ID.eq(scope.projectId()));
        }
        if (scope.groupId() != null) {
            c = c.and(ACCESS_TOKENS.GROUP_ID.eq(scope.groupId()));
        }
        if (!scope.types().isEmpty()) {
            c = c.and(ACCESS_TOKENS.TYPE.in(scope.types()));
        }
        return c;
    }

    private Condition filtered(TokenFilter f) {
        Condition c = DSL.noCondition();
        if (f.types() != null && !f.types().isEmpty()) {
            c = c.and(ACCESS_TOKENS.TYPE.in(f.types()));
        }
        if (f.state() != null) {
            Condition active = ACCESS_TOKENS.REVOKED_AT.isNull()
                    .and(ACCESS_TOKENS.EXPIRES_AT.isNull().or(ACCESS_TOKENS.EXPIRES_AT.gt(tokens.today())));
            c = c.and(f.state() == TokenState.ACTIVE ? active : DSL.not(active));
        }
        if (f.revoked() != null) {
            c = c.and(f.revoked() ? ACCESS_TOKENS.REVOKED_AT.isNotNull() : ACCESS_TOKENS.REVOKED_AT.isNull());
        }
        if (f.scopesAnyOf() != null && !f.scopesAnyOf().isEmpty()) {
            c = c.and(DSL.exists(DSL.selectOne().from(ACCESS_TOKEN_SCOPES)
                    .where(ACCESS_TOKEN_SCOPES.TOKEN_ID.eq(ACCESS_TOKENS.ID),
                            ACCESS_TOKEN_SCOPES.SCOPE.in(scopeIds(f.scopesAnyOf())))));
        }
        if (f.scopesAllOf() != null) {
            for (String scope : scopeIds(f.scopesAllOf())) {
                c = c.and(DSL.exists(DSL.selectOne().from(ACCESS_TOKEN_SCOPES)
                        .where(ACCESS_TOKEN_SCOPES.TOKEN_ID.eq(ACCESS_TOKENS.ID), ACCESS_TOKEN_SCOPES.SCOPE.eq(scope))));
            }
        }
        if (f.expiresBefore() != null) {
            c = c.and(ACCESS_TOKENS.EXPIRES_AT.lt(f.expiresBefore()));
        }
        if (f.expiresAfter() != null) {
            c = c.and(ACCESS_TOKENS.EXPIRES_AT.gt(f.expiresAfter()));
        }
        if (f.createdBefore() != null) {
            c = c.and(ACCESS_TOKENS.CREATED_AT.lt(utc(f.createdBefore())));
        }
        if (f.createdAfter() != null) {
            c = c.and(ACCESS_TOKENS.CREATED_AT.gt(utc(f.createdAfter())));
        }
        if (f.lastUsedBefore() != null) {
            c = c.and(ACCESS_TOKENS.LAST_USED_AT.lt(utc(f.lastUsedBefore())));
        }
        if (f.lastUsedAfter() != null) {
            c = c.and(ACCESS_TOKENS.LAST_USED_AT.gt(utc(f.lastUsedAfter())));
        }
        if (f.search() != null && !f.search().isBlank()) {
            String pattern = "%" + f.search().strip().toLowerCase().replace("!", "!!").replace("%", "!%")
                    .replace("_", "!_") + "%";
            c = c.and(DSL.lower(ACCESS_TOKENS.NAME).like(pattern, '!'));
        }
        if (f.ownerUsername() != null) {
            c = c.and(ACCESS_TOKENS.USER_ID.in(DSL.select(USERS.ID).from(USERS)
                    .where(USERS.USERNAME.eq(f.ownerUsername()))));
        }
        return c;
    }

    /**
     * Rows strictly after (value, id) in the given direction, where NULL sorts lowest (MySQL's, MariaDB's and
     * H2's native order, so the (column, id) indexes serve both directions). Spelled out with OR rather than as a
     * row comparison: MariaDB turns {@code (a, b) < (?, ?)} into a full index scan but the OR into one range.
     */
    @SuppressWarnings("unchecked")
    private static Condition after(Field<?> column, Object value, long id, boolean ascending) {
        Field<Object> col = (Field<Object>) column;
        if (ascending) {
            return value == null
                    ? col.isNull().and(ACCESS_TOKENS.ID.gt(id)).or(col.isNotNull())
                    : col.gt(value).or(col.eq(value).and(ACCESS_TOKENS.ID.gt(id)));
        }
        return value == null
                ? col.isNull().and(ACCESS_TOKENS.ID.lt(id))
                : col.lt(value).or(col.eq(value).and(ACCESS_TOKENS.ID.lt(id))).or(col.isNull());
    }

    private static List<SortField<?>> orderBy(Field<?> column, boolean ascending) {
        return ascending ? List.of(column.asc(), ACCESS_TOKENS.ID.asc())
                : List.of(column.desc(), ACCESS_TOKENS.ID.desc());
    }

    private static List<String> scopeIds(List<String> names) {
        return names.stream().map(n -> Scope.fromId(n == null ? "" : n.strip().toLowerCase())
                .orElseThrow(() -> PatrolException.badInput("Unknown scope '" + n + "'.")).id()).toList();
    }

    private static LocalDateTime utc(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
}
