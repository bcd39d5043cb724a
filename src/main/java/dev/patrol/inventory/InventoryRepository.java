package dev.patrol.inventory;

import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.notExists;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.when;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.ACCESS_TOKEN_LAST_USED_IPS;
import static patrol.jooq.Tables.ACCESS_TOKEN_SCOPES;
import static patrol.jooq.Tables.ACCESS_TOKEN_SCOPE_USAGE;
import static patrol.jooq.Tables.NAMESPACES;
import static patrol.jooq.Tables.PROJECTS;
import static patrol.jooq.Tables.SSH_KEYS;
import static patrol.jooq.Tables.USERS;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Select;
import org.jooq.SelectField;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.Records;
import org.jooq.impl.DSL;
import org.jooq.impl.EnumConverter;
import org.jooq.impl.SQLDataType;
import org.springframework.dao.DataRetrievalFailureException;
import org.springframework.stereotype.Repository;

import dev.patrol.owner.Memberships;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.UserKind;
import dev.patrol.owner.UserState;
import dev.patrol.shared.IpRange;
import dev.patrol.shared.PatrolException;
import dev.patrol.token.Scope;
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenType;

/**
 * The inventory's SQL. Tokens and SSH keys are read as two keyset streams over their own indexes and merged, so a
 * deep page costs what the first does; aggregates group within each source and add the groups up.
 */
@Repository
class InventoryRepository {

    /** One of the two tables the inventory reads, seen through the columns both share. */
    record Source(CredentialKind kind, Table<?> table, Field<Long> id, Field<String> type, Field<String> name,
            Field<Long> userId, Field<Long> projectId, Field<Long> groupId, Field<Integer> accessLevel,
            Field<LocalDateTime> createdAt, Field<Long> createdById, Field<LocalDate> expiresAt,
            Field<LocalDateTime> revokedAt, Field<LocalDateTime> lastUsedAt, Field<Long> rootGroupId) {

        int rank() {
            return kind.ordinal();
        }

        Field<?> sortKey(InventorySort.Key key) {
            return switch (key) {
                case EXPIRES -> expiresAt;
                case CREATED -> createdAt;
                case LAST_USED -> lastUsedAt;
                case NAME -> name;
                case OWNER -> USERS.USERNAME;
            };
        }
    }

    /** The token type column as the name the inventory shares with SSH keys' inline type (a union needs one type). */
    private static final Field<String> TOKEN_TYPE_NAME = DSL.field(ACCESS_TOKENS.TYPE.getQualifiedName(),
            SQLDataType.VARCHAR);

    static final Source TOKENS = new Source(CredentialKind.ACCESS_TOKEN, ACCESS_TOKENS, ACCESS_TOKENS.ID,
            TOKEN_TYPE_NAME, ACCESS_TOKENS.NAME, ACCESS_TOKENS.USER_ID, ACCESS_TOKENS.PROJECT_ID,
            ACCESS_TOKENS.GROUP_ID, ACCESS_TOKENS.ACCESS_LEVEL, ACCESS_TOKENS.CREATED_AT, ACCESS_TOKENS.CREATED_BY_ID,
            ACCESS_TOKENS.EXPIRES_AT, ACCESS_TOKENS.REVOKED_AT, ACCESS_TOKENS.LAST_USED_AT, ACCESS_TOKENS.ROOT_GROUP_ID);

    static final Source SSH = new Source(CredentialKind.SSH_KEY, SSH_KEYS, SSH_KEYS.ID,
            inline(InventoryCredential.SSH_KEY_TYPE), SSH_KEYS.TITLE, SSH_KEYS.USER_ID,
            inline(null, SQLDataType.BIGINT), inline(null, SQLDataType.BIGINT), inline(null, SQLDataType.INTEGER),
            SSH_KEYS.CREATED_AT, inline(null, SQLDataType.BIGINT), SSH_KEYS.EXPIRES_AT,
            inline(null, SQLDataType.LOCALDATETIME), SSH_KEYS.LAST_USED_AT, USERS.ENTERPRISE_GROUP_ID);

    /** Where the reading starts: a position in one sort order (null: from the beginning). */
    record Position(Object key, int rank, long id) {
    }

    /**
     * The context every condition needs: which part of the estate (the whole instance or one top-level group, and
     * of its tokens those the token module's access policy lets the actor see), and what "now" is.
     */
    record Visibility(Long rootGroupId, Condition visibleTokens, LocalDate today, LocalDateTime now) {
    }

    private final DSLContext dsl;

    InventoryRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    // listing

    /**
     * Up to {@code limit} credentials after {@code after} in the traversal order (the sort, reversed when
     * {@code reverse}): one statement per source the filter admits.
     */
    List<InventoryCredential> page(Visibility scope, InventoryFilter filter, InventorySort sort, boolean reverse,
            Position after, int limit) {
        boolean ascending = sort.ascending != reverse;
        List<InventoryCredential> rows = new ArrayList<>();
        for (Source source : sources(filter)) {
            Condition where = where(source, scope, filter);
            if (after != null) {
                where = where.and(after(source, sort.key, ascending, after));
            }
            if (sort.key == InventorySort.Key.OWNER) {
                rows.addAll(byOwner(source, scope, where, ascending, after, limit));
                continue;
            }
            Field<?> key = source.sortKey(sort.key);
            SortField<?> keyOrder = ascending ? key.asc() : key.desc();
            SortField<?> idOrder = ascending ? source.id.asc() : source.id.desc();
            rows.addAll(select(source).where(where).orderBy(keyOrder, idOrder).limit(limit)
                    .fetch(r -> toCredential(source, r, scope.today())));
        }
        Comparator<InventoryCredential> order = order(sort);
        rows.sort(ascending ? order : order.reversed());
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    // exporting

    /** A credential of an export while it is the current row of its source's stream, read by position. */
    interface ExportRow {
        CredentialKind kind();

        long id();

        String type();

        String name();

        String ownerUsername();

        String ownerKind();

        /** The scopes, space-separated. */
        String scopes();

        Integer accessLevel();

        String resourcePath();

        LocalDateTime createdAt();

        LocalDate expiresAt();

        LocalDateTime revokedAt();

        LocalDateTime lastUsedAt();

        /** The last-used addresses, space-separated. */
        String lastUsedIps();

        CredentialState state();
    }

    /** What an export does with each row, in order. */
    @FunctionalInterface
    interface ExportConsumer {
        void accept(ExportRow row) throws java.io.IOException;
    }

    /**
     * Every credential the filter selects, in the sort's order, one statement per source (tokens, SSH keys) whose
     * rows are merged as they arrive. Each statement streams: Connector/J reads a row off the socket when the
     * export asks for it (fetch size {@code Integer.MIN_VALUE}; {@code useCursorFetch} would make MySQL and
     * MariaDB copy the whole result into a temporary table first), so neither Patrol nor the database holds the
     * result. Not for the owner order, whose rows come from windows of owners ({@link #page}).
     *
     * <p>Must run outside a transaction: each streaming statement keeps its own connection until its last row,
     * and a connection that streams can run nothing else.
     */
    void export(Visibility scope, InventoryFilter filter, InventorySort sort, ExportConsumer consumer)
            throws java.io.IOException {
        List<ExportStream> streams = new ArrayList<>();
        try {
            for (Source source : sources(filter)) {
                Field<?> key = source.sortKey(sort.key);
                ExportStream stream = new ExportStream(source, sort, scope.today(), exportSelect(source)
                        .where(where(source, scope, filter))
                        .orderBy(sort.ascending ? key.asc() : key.desc(), sort.ascending ? source.id.asc() : source.id.desc())
                        .fetchSize(streamingFetchSize())
                        .fetchResultSet());
                streams.add(stream);
                stream.advance();
            }
            while (true) {
                ExportStream next = null;
                for (ExportStream stream : streams) {
                    if (stream.more && (next == null || stream.before(next))) {
                        next = stream;
                    }
                }
                if (next == null) {
                    return;
                }
                consumer.accept(next);
                next.advance();
            }
        } catch (SQLException e) {
            throw new DataRetrievalFailureException("Reading the export failed", e);
        } finally {
            for (ExportStream stream : streams) {
                stream.close();
            }
        }
    }

    /** The fetch size that streams: Connector/J's row-by-row mode on MySQL and MariaDB, a bounded batch elsewhere. */
    int streamingFetchSize() {
        return switch (dsl.dialect().family()) {
            case MYSQL, MARIADB -> Integer.MIN_VALUE;
            default -> EXPORT_FETCH_SIZE;
        };
    }

    static final int EXPORT_FETCH_SIZE = 1000;

    /**
     * One source's rows in export order, read by the positions {@link #exportSelect} puts them at, straight from the
     * JDBC row: no jOOQ record, and dates and times read as {@code java.time} values, not through
     * {@code java.sql.Timestamp}.
     */
    private static final class ExportStream implements ExportRow, AutoCloseable {

        private final Source source;
        private final InventorySort sort;
        private final LocalDate today;
        private final ResultSet rs;
        boolean more;
        private long id;
        private Comparable<Object> key;

        ExportStream(Source source, InventorySort sort, LocalDate today, ResultSet rs) {
            this.source = source;
            this.sort = sort;
            this.today = today;
            this.rs = rs;
        }

        void advance() throws SQLException {
            more = rs.next();
            if (more) {
                id = rs.getLong(1);
                key = sortKey();
            }
        }

        @SuppressWarnings("unchecked")
        private Comparable<Object> sortKey() throws SQLException {
            return (Comparable<Object>) (Comparable<?>) switch (sort.key) {
                case EXPIRES -> rs.getObject(13, LocalDate.class);
                case CREATED -> rs.getObject(11, LocalDateTime.class);
                case LAST_USED -> rs.getObject(15, LocalDateTime.class);
                case NAME -> rs.getString(3);
                case OWNER -> throw new IllegalArgumentException("The owner order is exported a page at a time.");
            };
        }

        /** Whether this stream's row comes before the other's: the order of {@link #order}. */
        boolean before(ExportStream other) {
            int c;
            if (key == null || other.key == null) {
                c = key == null ? (other.key == null ? 0 : -1) : 1;
            } else {
                c = key.compareTo(other.key);
            }
            if (c == 0) {
                c = Integer.compare(source.rank(), other.source.rank());
            }
            if (c == 0) {
                c = Long.compare(id, other.id);
            }
            return sort.ascending ? c < 0 : c > 0;
        }

        private RuntimeException failed(SQLException e) {
            return new DataRetrievalFailureException("Reading the export failed", e);
        }

        private String string(int column) {
            try {
                return rs.getString(column);
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        private <T> T object(int column, Class<T> type) {
            try {
                return rs.getObject(column, type);
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public CredentialKind kind() {
            return source.kind;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String type() {
            return string(2);
        }

        @Override
        public String name() {
            return string(3);
        }

        @Override
        public String ownerUsername() {
            return string(5);
        }

        @Override
        public String ownerKind() {
            return string(6);
        }

        @Override
        public String scopes() {
            String list = string(16);
            return list == null ? "" : list.replace(',', ' ');
        }

        @Override
        public Integer accessLevel() {
            try {
                int level = rs.getInt(10);
                return rs.wasNull() ? null : level;
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public String resourcePath() {
            return string(9);
        }

        @Override
        public LocalDateTime createdAt() {
            return object(11, LocalDateTime.class);
        }

        @Override
        public LocalDate expiresAt() {
            return object(13, LocalDate.class);
        }

        @Override
        public LocalDateTime revokedAt() {
            return object(14, LocalDateTime.class);
        }

        @Override
        public LocalDateTime lastUsedAt() {
            return object(15, LocalDateTime.class);
        }

        @Override
        public String lastUsedIps() {
            String list = string(17);
            return list == null ? "" : list.replace(',', ' ');
        }

        @Override
        public CredentialState state() {
            if (revokedAt() != null) {
                return CredentialState.REVOKED;
            }
            LocalDate expiresAt = expiresAt();
            return expiresAt != null && !today.isBefore(expiresAt) ? CredentialState.EXPIRED : CredentialState.ACTIVE;
        }

        @Override
        public void close() {
            try {
                rs.close();
            } catch (SQLException ignored) {
                // closing releases the connection; a failure here leaves nothing to do
            }
        }
    }

    /** Owners per window in the first round of {@link #byOwner}; each further round takes ten times as many. */
    static final int OWNER_WINDOW = 100;

    /** {@link #OWNER_WINDOW}; tests lower it to cross window boundaries with a small estate. */
    int ownerWindow = OWNER_WINDOW;

    /**
     * A page in owner-username order. The username lives in another table, so no index orders the tokens by it;
     * instead the owners are walked in username order, a window at a time (a range of usernames over the whole
     * instance; the owners by id within a group), and the database sorts only those owners' credentials.
     * Credentials without an owner come first.
     */
    private List<InventoryCredential> byOwner(Source source, Visibility scope, Condition where, boolean ascending,
            Position after, int limit) {
        List<InventoryCredential> rows = new ArrayList<>();
        SortField<Long> idOrder = ascending ? source.id.asc() : source.id.desc();
        Condition ownerless = source.userId.isNull();
        if (ascending && source == TOKENS) {
            rows.addAll(select(source).where(where, ownerless).orderBy(idOrder).limit(limit)
                    .fetch(r -> toCredential(source, r, scope.today())));
        }
        String from = after == null ? null : (String) after.key();
        boolean inclusive = true;
        boolean amongOwnerless = after != null && after.key() == null && after.rank() == source.rank();
        for (int window = ownerWindow; rows.size() < limit && !(amongOwnerless && !ascending); window *= 10) {
            Condition bound = from == null ? noCondition()
                    : ascending ? (inclusive ? USERS.USERNAME.ge(from) : USERS.USERNAME.gt(from))
                    : (inclusive ? USERS.USERNAME.le(from) : USERS.USERNAME.lt(from));
            SortField<String> usernameOrder = ascending ? USERS.USERNAME.asc() : USERS.USERNAME.desc();
            Condition owners;
            String to;
            if (scope.rootGroupId() == null) {
                to = dsl.select(USERS.USERNAME).from(USERS).where(bound).orderBy(usernameOrder)
                        .limit(1).offset(window - 1).fetchOne(USERS.USERNAME);
                owners = USERS.ID.isNotNull().and(bound)
                        .and(to == null ? noCondition() : ascending ? USERS.USERNAME.le(to) : USERS.USERNAME.ge(to));
            } else {
                // within a group the group's owners are few: name them, so the tokens are found by owner id
                List<Record2<Long, String>> next = groupOwners(source, scope.rootGroupId(), bound, usernameOrder,
                        window);
                to = next.size() < window ? null : next.getLast().value2();
                owners = source.userId.in(next.stream().map(Record2::value1).toList());
            }
            rows.addAll(select(source).where(where, owners)
                    .orderBy(usernameOrder, idOrder)
                    .limit(limit - rows.size())
                    .fetch(r -> toCredential(source, r, scope.today())));
            if (to == null) {
                break;
            }
            from = to;
            inclusive = false;
        }
        if (!ascending && source == TOKENS && rows.size() < limit) {
            rows.addAll(select(source).where(where, ownerless).orderBy(idOrder).limit(limit - rows.size())
                    .fetch(r -> toCredential(source, r, scope.today())));
        }
        return rows;
    }

    /** The next owners, in username order, of the group's tokens (or of its SSH keys: its enterprise users). */
    private List<Record2<Long, String>> groupOwners(Source source, long rootGroupId, Condition bound,
            SortField<String> order, int window) {
        var owners = source == TOKENS
                ? dsl.selectDistinct(USERS.ID, USERS.USERNAME).from(ACCESS_TOKENS).join(USERS)
                        .on(USERS.ID.eq(ACCESS_TOKENS.USER_ID)).where(ACCESS_TOKENS.ROOT_GROUP_ID.eq(rootGroupId), bound)
                : dsl.select(USERS.ID, USERS.USERNAME).from(USERS)
                        .where(USERS.ENTERPRISE_GROUP_ID.eq(rootGroupId), bound);
        return owners.orderBy(order).limit(window).fetch();
    }

    /**
     * How many credentials match, counted up to {@code limit}: {@code limit + 1} means more. Each source stops at the
     * first {@code limit + 1} matches it finds, so the count costs at most what reading that many rows does.
     */
    long countUpTo(Visibility scope, InventoryFilter filter, int limit) {
        long total = 0;
        for (Source source : sources(filter)) {
            if (total > limit) {
                break;
            }
            // Not fetchCount(select): jOOQ names the derived table's columns, "AS t (v0)", which MariaDB refuses.
            total += dsl.selectCount().from(dsl.select(source.id).from(forCounting(source, filter))
                    .where(where(source, scope, filter)).limit(limit + 1 - total).asTable("bounded"))
                    .fetchSingle(0, Long.class);
        }
        return total;
    }

    /**
     * The active credentials a user holds or created (tokens whose user or creator they are, their SSH keys),
     * newest first, at most {@code limit} of each kind.
     */
    List<InventoryCredential> activeHeldOrCreatedBy(long userId, LocalDate today, int limit) {
        List<InventoryCredential> rows = new ArrayList<>();
        rows.addAll(select(TOKENS)
                .where(state(TOKENS, CredentialState.ACTIVE, today),
                        ACCESS_TOKENS.USER_ID.eq(userId).or(ACCESS_TOKENS.CREATED_BY_ID.eq(userId)))
                .orderBy(ACCESS_TOKENS.ID.desc()).limit(limit)
                .fetch(r -> toCredential(TOKENS, r, today)));
        rows.addAll(select(SSH).where(state(SSH, CredentialState.ACTIVE, today), SSH_KEYS.USER_ID.eq(userId))
                .orderBy(SSH_KEYS.ID.desc()).limit(limit)
                .fetch(r -> toCredential(SSH, r, today)));
        return rows;
    }

    Optional<InventoryCredential> find(CredentialKind kind, long id, LocalDate today) {
        Source source = kind == CredentialKind.ACCESS_TOKEN ? TOKENS : SSH;
        return select(source).where(source.id.eq(id)).fetchOptional(r -> toCredential(source, r, today));
    }

    private org.jooq.SelectJoinStep<Record> select(Source source) {
        return selectWithOwnerAs(source, List.of(OwnerRepository.USER));
    }

    /** The export's columns, at the positions {@link ExportStream} reads them from: the owner as two plain columns. */
    private org.jooq.SelectJoinStep<Record> exportSelect(Source source) {
        return selectWithOwnerAs(source, List.of(USERS.USERNAME, USERS.KIND));
    }

    /** A credential's columns, its owner (joined by {@link #from}) as the given fields after its user id. */
    private org.jooq.SelectJoinStep<Record> selectWithOwnerAs(Source source, List<SelectField<?>> owner) {
        List<SelectField<?>> fields = new ArrayList<>(List.of(source.id, source.type, source.name, source.userId));
        fields.addAll(owner);
        fields.addAll(List.of(source.projectId, source.groupId, resourcePath(source), source.accessLevel,
                source.createdAt, source.createdById, source.expiresAt, source.revokedAt, source.lastUsedAt,
                source == TOKENS ? SCOPES : inline(null, SQLDataType.VARCHAR).as(SCOPES.getName()),
                source == TOKENS ? IPS : inline(null, SQLDataType.VARCHAR).as(IPS.getName())));
        return dsl.select(fields).from(from(source));
    }

    /*
     * A token's scopes and last-used addresses as lists in its own row: a page is then one statement, and the
     * GraphQL fields need no batch loader. Measured against two IN look-ups with their loaders: about a fifth less
     * server CPU per page of 100.
     */

    private static final Field<String> SCOPES = TokenRepository.SCOPE_LIST.as("scope_list");

    private static final Field<String> IPS = DSL.field(DSL.select(DSL.groupConcat(ACCESS_TOKEN_LAST_USED_IPS.IP)
            .orderBy(ACCESS_TOKEN_LAST_USED_IPS.USED_AT.desc(), ACCESS_TOKEN_LAST_USED_IPS.IP).separator(","))
            .from(ACCESS_TOKEN_LAST_USED_IPS)
            .where(ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID.eq(ACCESS_TOKENS.ID))).as("ip_list");

    private static List<String> list(String concatenated) {
        return concatenated == null || concatenated.isEmpty() ? List.of() : List.of(concatenated.split(","));
    }

    private static Table<?> from(Source source) {
        Table<?> table = source.table.leftJoin(USERS).on(USERS.ID.eq(source.userId));
        if (source == TOKENS) {
            table = table.leftJoin(PROJECTS).on(PROJECTS.ID.eq(ACCESS_TOKENS.PROJECT_ID))
                    .leftJoin(NAMESPACES).on(NAMESPACES.ID.eq(ACCESS_TOKENS.GROUP_ID));
        }
        return table;
    }

    private static Field<String> resourcePath(Source source) {
        return source == TOKENS
                ? DSL.coalesce(PROJECTS.FULL_PATH, NAMESPACES.FULL_PATH).as("resource_path")
                : inline(null, SQLDataType.VARCHAR).as("resource_path");
    }

    private static InventoryCredential toCredential(Source s, Record r, LocalDate today) {
        LocalDate expiresAt = r.get(s.expiresAt);
        LocalDateTime revokedAt = r.get(s.revokedAt);
        return new InventoryCredential(s.kind, r.get(s.id), r.get(s.type), r.get(s.name), r.get(s.userId),
                r.get(OwnerRepository.USER), r.get(s.projectId),
                r.get(s.groupId), r.get("resource_path", String.class), r.get(s.accessLevel), utc(r.get(s.createdAt)),
                r.get(s.createdById), expiresAt, utc(revokedAt), utc(r.get(s.lastUsedAt)),
                revokedAt != null ? CredentialState.REVOKED
                        : expiresAt != null && !today.isBefore(expiresAt) ? CredentialState.EXPIRED
                        : CredentialState.ACTIVE,
                list(r.get(SCOPES.getName(), String.class)), list(r.get(IPS.getName(), String.class)));
    }

    private static OffsetDateTime utc(LocalDateTime time) {
        return time == null ? null : time.atOffset(ZoneOffset.UTC);
    }

    /** The order {@link #page} merges the sources in; it must agree with the database's (binary collation). */
    private static Comparator<InventoryCredential> order(InventorySort sort) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<InventoryCredential> byKey = Comparator.comparing(
                c -> (Comparable) sort.keyOf(c), Comparator.nullsFirst(Comparator.naturalOrder()));
        return byKey.thenComparing(c -> c.kind().ordinal()).thenComparingLong(InventoryCredential::id);
    }

    /** Rows strictly after the position in the traversal order (key, source rank, id), NULL keys lowest. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Condition after(Source source, InventorySort.Key sortKey, boolean ascending, Position p) {
        Field key = source.sortKey(sortKey);
        Condition beyond;
        Condition same = p.key() == null ? key.isNull() : key.eq(p.key());
        if (p.key() == null) {
            beyond = ascending ? key.isNotNull() : falseCondition();
        } else {
            beyond = ascending ? key.gt(p.key()) : key.lt(p.key()).or(key.isNull());
        }
        int rank = source.rank();
        boolean laterRank = ascending ? rank > p.rank() : rank < p.rank();
        if (laterRank) {
            return beyond.or(same);
        }
        if (rank != p.rank()) {
            return beyond;
        }
        return beyond.or(same.and(ascending ? source.id.gt(p.id()) : source.id.lt(p.id())));
    }

    // filtering

    /**
     * The sources a filter's types admit. SSH keys have no scopes, so a scope filter skips them when tokens are read
     * anyway; never none, as aggregates union the sources.
     */
    private static List<Source> sources(InventoryFilter f) {
        boolean anyType = f.types() == null || f.types().isEmpty();
        boolean tokens = anyType || f.types().stream().anyMatch(t -> !t.equals(InventoryCredential.SSH_KEY_TYPE));
        boolean sshKeys = anyType || f.types().contains(InventoryCredential.SSH_KEY_TYPE);
        boolean byScope = (f.scopesAnyOf() != null && !f.scopesAnyOf().isEmpty())
                || (f.scopesAllOf() != null && !f.scopesAllOf().isEmpty());
        List<Source> sources = new ArrayList<>();
        if (tokens) {
            sources.add(TOKENS);
        }
        if (sshKeys && !(byScope && tokens)) {
            sources.add(SSH);
        }
        return sources;
    }

    /** The visibility and filter conditions on one source. */
    Condition where(Source s, Visibility scope, InventoryFilter f) {
        Condition c = scope.rootGroupId() == null ? noCondition() : s.rootGroupId.eq(scope.rootGroupId());
        if (s == TOKENS) {
            c = c.and(scope.visibleTokens());
        }
        if (f.types() != null && !f.types().isEmpty() && s == TOKENS) {
            c = c.and(s.type.in(f.types().stream().filter(t -> !t.equals(InventoryCredential.SSH_KEY_TYPE)).toList()));
        }
        if (f.states() != null && !f.states().isEmpty()) {
            c = c.and(DSL.or(f.states().stream().map(state -> state(s, state, scope.today())).toList()));
        }
        if (f.ownerUsername() != null) {
            c = c.and(USERS.USERNAME.eq(f.ownerUsername()));
        }
        if (f.ownerSearch() != null && !f.ownerSearch().isBlank()) {
            c = c.and(USERS.USERNAME.containsIgnoreCase(f.ownerSearch()).or(USERS.NAME.containsIgnoreCase(f.ownerSearch())));
        }
        if (f.ownerKinds() != null && !f.ownerKinds().isEmpty()) {
            c = c.and(ownerKind(s).in(f.ownerKinds()));
        }
        if (f.scopesAnyOf() != null && !f.scopesAnyOf().isEmpty()) {
            List<String> ids = scopeIds(f.scopesAnyOf());
            c = c.and(s == TOKENS ? hasScope(ids, rare(ids)) : falseCondition());
        }
        if (f.scopesAllOf() != null && !f.scopesAllOf().isEmpty()) {
            List<String> ids = scopeIds(f.scopesAllOf());
            if (s == TOKENS) {
                boolean anyRare = ids.stream().anyMatch(id -> rare(List.of(id)));
                c = c.and(DSL.and(ids.stream().map(id -> hasScope(List.of(id), anyRare)).toList()));
            } else {
                c = c.and(falseCondition());
            }
        }
        if (f.createdBefore() != null) {
            c = c.and(s.createdAt.lt(local(f.createdBefore())));
        }
        if (f.createdAfter() != null) {
            c = c.and(s.createdAt.gt(local(f.createdAfter())));
        }
        if (f.expiresBefore() != null) {
            c = c.and(s.expiresAt.lt(f.expiresBefore()));
        }
        if (f.expiresAfter() != null) {
            c = c.and(s.expiresAt.gt(f.expiresAfter()));
        }
        if (f.lastUsedBefore() != null) {
            c = c.and(s.lastUsedAt.lt(local(f.lastUsedBefore())));
        }
        if (f.lastUsedAfter() != null) {
            c = c.and(s.lastUsedAt.gt(local(f.lastUsedAfter())));
        }
        if (f.neverUsed() != null) {
            c = c.and(f.neverUsed() ? s.lastUsedAt.isNull() : s.lastUsedAt.isNotNull());
        }
        if (f.lastUsedIp() != null && !f.lastUsedIp().isBlank()) {
            c = c.and(s == TOKENS ? usedFrom(IpRange.parse(f.lastUsedIp())) : falseCondition());
        }
        if (f.search() != null && !f.search().isBlank()) {
            c = c.and(s.name.containsIgnoreCase(f.search()));
        }
        return c;
    }

    private static Condition state(Source s, CredentialState state, LocalDate today) {
        Condition expired = s.expiresAt.le(today);
        return switch (state) {
            case ACTIVE -> s.revokedAt.isNull().and(s.expiresAt.isNull().or(s.expiresAt.gt(today)));
            case EXPIRED -> s.revokedAt.isNull().and(expired);
            case REVOKED -> s.revokedAt.isNotNull();
            case INACTIVE -> s.revokedAt.isNotNull().or(expired);
        };
    }

    private static List<String> scopeIds(List<String> names) {
        return names.stream().map(n -> Scope.fromId(n.strip().toLowerCase())
                .orElseThrow(() -> PatrolException.badInput("Unknown scope '" + n + "'.")).id()).toList();
    }

    /*
     * Owner kinds and scopes are checked row by row (a scalar subquery on a primary key each), never as a join or an
     * EXISTS: the planner flattens those into a join and, blind to the LIMIT, drives the page from the other table.
     * On 1,000,000 tokens "active api tokens of humans by expiry" then read 1,178,748 index entries and sorted
     * 164,798 rows (users by kind, their tokens, a filesort): over 10 s. Checked per row, the page is a walk of the
     * sort's own index (revoked_at, expires_at) that stops after the page: 1,322 index entries. The kinds (a handful)
     * are never selective enough to be the better driver. A rare scope is: the walk would pass most of the estate to
     * find the few tokens carrying sudo (1,329,123 entries, where starting from the scope's 1 token and sorting it
     * reads 6), so a scope carried by at most RARE_SCOPE tokens stays an EXISTS the planner may start from. One
     * look at the scopes' index, reading at most RARE_SCOPE + 1 entries, tells which.
     */

    /** At most this many tokens carry a rare scope: starting from them and sorting them costs at most this much. */
    static final int RARE_SCOPE = 10_000;

    /** {@link #RARE_SCOPE}; tests lower it to see a common scope in a small estate. */
    int rareScope = RARE_SCOPE;

    /** Whether at most {@link #rareScope} tokens carry any of the scopes. */
    private boolean rare(List<String> scopes) {
        return dsl.selectCount().from(dsl.select(ACCESS_TOKEN_SCOPES.TOKEN_ID).from(ACCESS_TOKEN_SCOPES)
                .where(ACCESS_TOKEN_SCOPES.SCOPE.in(scopes)).limit(rareScope + 1).asTable("carriers"))
                .fetchSingle(0, int.class) <= rareScope;
    }

    /** The owner's kind of a source's row. */
    private static Field<UserKind> ownerKind(Source s) {
        var owner = USERS.as("kind_of_owner");
        return DSL.field(DSL.select(owner.KIND).from(owner).where(owner.ID.eq(s.userId)));
    }

    /** Tokens carrying any of the scopes: an EXISTS the planner may start from when {@code rare}, else per row. */
    private static Condition hasScope(List<String> scopes, boolean rare) {
        var carrying = selectOne().from(ACCESS_TOKEN_SCOPES)
                .where(ACCESS_TOKEN_SCOPES.TOKEN_ID.eq(ACCESS_TOKENS.ID), ACCESS_TOKEN_SCOPES.SCOPE.in(scopes));
        return rare ? exists(carrying) : DSL.field(carrying.limit(1)).eq(1);
    }

    /**
     * Tokens last used from the address or block. Addresses are stored as text, so a block is matched in two
     * steps: the index on the address narrows by text prefix, the candidates are checked here, and the tokens
     * are found by the exact addresses that matched.
     */
    private Condition usedFrom(IpRange range) {
        List<String> ips;
        if (range.isSingleAddress()) {
            ips = List.of(range.literal());
        } else {
            ips = dsl.selectDistinct(ACCESS_TOKEN_LAST_USED_IPS.IP).from(ACCESS_TOKEN_LAST_USED_IPS)
                    .where(ACCESS_TOKEN_LAST_USED_IPS.IP.startsWith(range.textPrefix()))
                    .fetch(ACCESS_TOKEN_LAST_USED_IPS.IP).stream().filter(range::contains).toList();
        }
        if (ips.isEmpty()) {
            return falseCondition();
        }
        return exists(selectOne().from(ACCESS_TOKEN_LAST_USED_IPS).where(
                ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID.eq(ACCESS_TOKENS.ID), ACCESS_TOKEN_LAST_USED_IPS.IP.in(ips)));
    }

    private static LocalDateTime local(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    // aggregates

    /*
     * Each aggregate groups within each source first and sums the (few) grouped rows across sources, so the
     * database never materialises a union of the whole estate.
     */

    private static final Field<Long> N = field(name("n"), Long.class);

    /** The per-source groups as one small derived table {@code c}. */
    private static <R extends Record> Table<R> unionAll(List<? extends Select<R>> branches) {
        Select<R> union = branches.getFirst();
        for (Select<R> branch : branches.subList(1, branches.size())) {
            union = union.unionAll(branch);
        }
        return union.asTable("c");
    }

    /** A source with its owner joined: what owner conditions need. */
    private static Table<?> withOwner(Source source) {
        return source.table.leftJoin(USERS).on(USERS.ID.eq(source.userId));
    }

    /** A source, with its owner joined only when the filter or the visibility asks about the owner. */
    private static Table<?> forCounting(Source source, InventoryFilter f) {
        boolean ownerNeeded = source == SSH || f.ownerUsername() != null
                || (f.ownerSearch() != null && !f.ownerSearch().isBlank())
                || (f.ownerKinds() != null && !f.ownerKinds().isEmpty());
        return ownerNeeded ? withOwner(source) : source.table;
    }

    /** The state as SQL; {@code today} is inlined so that grouping by the expression matches its selection. */
    private static Field<String> stateOf(Source s, LocalDate today) {
        return when(s.revokedAt.isNotNull(), inline(CredentialState.REVOKED.name()))
                .when(s.expiresAt.le(inline(today)), inline(CredentialState.EXPIRED.name()))
                .otherwise(inline(CredentialState.ACTIVE.name()));
    }

    record TypeStateCount(String type, CredentialState state, long count) {
    }

    record DateCount(LocalDate date, long count) {
    }

    List<TypeStateCount> countsByTypeAndState(Visibility scope, InventoryFilter f) {
        Table<?> grouped = unionAll(sources(f).stream()
                .map(s -> dsl.select(s.type.as("type"), stateOf(s, scope.today()).as("state"), DSL.count().as("n"))
                        .from(forCounting(s, f)).where(where(s, scope, f))
                        .groupBy(s.type, stateOf(s, scope.today())))
                .toList());
        Field<String> type = field(name("c", "type"), String.class);
        Field<CredentialState> state = field(name("c", "state"),
                SQLDataType.VARCHAR.asConvertedDataType(new EnumConverter<>(String.class, CredentialState.class)));
        return dsl.select(type, state, DSL.sum(N).coerce(Long.class)).from(grouped).groupBy(type, state)
                .orderBy(type, state)
                .fetch(Records.mapping(TypeStateCount::new));
    }

    /** Unrevoked credentials per expiry date within [from, to], by day; weeks and months are folded from days. */
    List<DateCount> expiringPerDay(Visibility scope, InventoryFilter f, LocalDate from, LocalDate to) {
        return perExpiryDate(scope, f, (s, date) -> date.between(from, to), date -> date.asc(), Integer.MAX_VALUE);
    }

    /** The dates on which most not-yet-expired, unrevoked credentials expire. */
    List<DateCount> topExpiryDates(Visibility scope, InventoryFilter f, int limit) {
        return perExpiryDate(scope, f, (s, date) -> date.gt(scope.today()), date -> DSL.sum(N).desc(), limit);
    }

    private List<DateCount> perExpiryDate(Visibility scope, InventoryFilter f,
            java.util.function.BiFunction<Source, Field<LocalDate>, Condition> range,
            java.util.function.Function<Field<LocalDate>, SortField<?>> order, int limit) {
        Table<?> grouped = unionAll(sources(f).stream()
                .map(s -> dsl.select(s.expiresAt.as("expires_at"), DSL.count().as("n")).from(forCounting(s, f))
                        .where(where(s, scope, f), s.revokedAt.isNull(), range.apply(s, s.expiresAt))
                        .groupBy(s.expiresAt))
                .toList());
        Field<LocalDate> date = field(name("c", "expires_at"), LocalDate.class);
        return dsl.select(date, DSL.sum(N).coerce(Long.class)).from(grouped).groupBy(date)
                .orderBy(order.apply(date), date.asc())
                .limit(limit)
                .fetch(Records.mapping(DateCount::new));
    }

    record Risks(long withoutExpiry, long expiringSoon, long neverUsed, long unused, long ofBlockedUsers,
            long ownerLeftGroup) {
    }

    private static final List<String> RISKS = List.of("without_expiry", "expiring_soon", "never_used", "unused",
            "of_blocked_users", "owner_left_group");

    /** Counts of active credentials in each risk class, in one pass over each source. */
    Risks risks(Visibility scope, InventoryFilter f, int expiringWithinDays, int unusedForDays) {
        LocalDateTime unusedSince = scope.now().minusDays(unusedForDays);
        Table<?> perSource = unionAll(sources(f).stream()
                .map(s -> dsl.select(
                                countIf(s.expiresAt.isNull()).as(RISKS.get(0)),
                                countIf(s.expiresAt.le(scope.today().plusDays(expiringWithinDays))).as(RISKS.get(1)),
                                countIf(s.lastUsedAt.isNull()).as(RISKS.get(2)),
                                countIf(DSL.coalesce(s.lastUsedAt, s.createdAt).lt(unusedSince)).as(RISKS.get(3)),
                                countIf(USERS.STATE.eq(UserState.BLOCKED)).as(RISKS.get(4)),
                                countIf(ownerLeftGroup(s)).as(RISKS.get(5)))
                        .from(withOwner(s))
                        .where(where(s, scope, f), state(s, CredentialState.ACTIVE, scope.today())))
                .toList());
        Record r = dsl.select(RISKS.stream().map(risk -> DSL.sum(field(name("c", risk), Long.class))).toList())
                .from(perSource).fetchSingle();
        return new Risks(n(r, 0), n(r, 1), n(r, 2), n(r, 3), n(r, 4), n(r, 5));
    }

    private static Field<java.math.BigDecimal> countIf(Condition c) {
        return sum(when(c, inline(1)).otherwise(inline(0)));
    }

    private static long n(Record r, int i) {
        Number value = r.get(i, Number.class);
        return value == null ? 0 : value.longValue();
    }

    /**
     * A project, group or deploy token whose creator no longer belongs to any group or project of the token's
     * top-level group (never true for SSH keys).
     */
    private static Condition ownerLeftGroup(Source s) {
        if (s != TOKENS) {
            return falseCondition();
        }
        Field<Long> creator = ACCESS_TOKENS.CREATED_BY_ID;
        Field<Long> root = ACCESS_TOKENS.ROOT_GROUP_ID;
        var admins = USERS.as("creator");
        return ACCESS_TOKENS.TYPE.in(TokenType.where(TokenType::reportedWhenCreatorLeaves))
                .and(creator.isNotNull())
                .and(DSL.not(Memberships.memberWithin(creator, root)))
                .and(notExists(selectOne().from(admins).where(admins.ID.eq(creator), admins.ADMIN.isTrue())));
    }

    // least privilege

    /**
     * Active tokens with scopes, at least one of which was not exercised since {@code since}: the candidates of
     * the least-privilege report, by id after {@code afterId}.
     */
    List<InventoryCredential> overPrivileged(Visibility scope, LocalDateTime since, long afterId, int limit) {
        var unused = selectOne().from(ACCESS_TOKEN_SCOPES).where(ACCESS_TOKEN_SCOPES.TOKEN_ID.eq(ACCESS_TOKENS.ID),
                notExists(selectOne().from(ACCESS_TOKEN_SCOPE_USAGE).where(
                        ACCESS_TOKEN_SCOPE_USAGE.TOKEN_ID.eq(ACCESS_TOKENS.ID),
                        ACCESS_TOKEN_SCOPE_USAGE.SCOPE.eq(ACCESS_TOKEN_SCOPES.SCOPE),
                        ACCESS_TOKEN_SCOPE_USAGE.LAST_USED_AT.ge(since))));
        Condition c = where(TOKENS, scope, InventoryFilter.ALL)
                .and(state(TOKENS, CredentialState.ACTIVE, scope.today()))
                .and(ACCESS_TOKENS.ID.gt(afterId))
                .and(exists(unused));
        return select(TOKENS).where(c).orderBy(ACCESS_TOKENS.ID).limit(limit)
                .fetch(r -> toCredential(TOKENS, r, scope.today()));
    }

    /** The scopes each token exercised since the given time. */
    Map<Long, Set<String>> usedScopes(Collection<Long> tokenIds, LocalDateTime since) {
        Map<Long, Set<String>> result = new LinkedHashMap<>();
        if (tokenIds.isEmpty()) {
            return result;
        }
        dsl.select(ACCESS_TOKEN_SCOPE_USAGE.TOKEN_ID, ACCESS_TOKEN_SCOPE_USAGE.SCOPE).from(ACCESS_TOKEN_SCOPE_USAGE)
                .where(ACCESS_TOKEN_SCOPE_USAGE.TOKEN_ID.in(tokenIds), ACCESS_TOKEN_SCOPE_USAGE.LAST_USED_AT.ge(since))
                .forEach(r -> result.computeIfAbsent(r.value1(), k -> new java.util.TreeSet<>()).add(r.value2()));
        return result;
    }

    // bulk revoke

    /** Ids of the unrevoked tokens the filter selects, sorted; at most {@code limit}. */
    List<Long> revocableIds(Visibility scope, InventoryFilter f, Collection<TokenType> excludedTypes, int limit) {
        Condition c = where(TOKENS, scope, f).and(ACCESS_TOKENS.REVOKED_AT.isNull());
        if (!excludedTypes.isEmpty()) {
            c = c.and(ACCESS_TOKENS.TYPE.notIn(excludedTypes));
        }
        if (!sources(f).contains(TOKENS)) {
            return List.of();
        }
        return dsl.select(ACCESS_TOKENS.ID).from(from(TOKENS)).where(c).orderBy(ACCESS_TOKENS.ID).limit(limit)
                .fetch(ACCESS_TOKENS.ID);
    }

    List<InventoryCredential> tokens(Collection<Long> ids, LocalDate today) {
        return ids.isEmpty() ? List.of()
                : select(TOKENS).where(ACCESS_TOKENS.ID.in(ids)).orderBy(ACCESS_TOKENS.ID)
                        .fetch(r -> toCredential(TOKENS, r, today));
    }
}
