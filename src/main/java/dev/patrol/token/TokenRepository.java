package dev.patrol.token;

import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.ACCESS_TOKEN_LAST_USED_IPS;
import static patrol.jooq.Tables.ACCESS_TOKEN_SCOPES;
import static patrol.jooq.Tables.INSTANCE_SETTINGS;
import static patrol.jooq.Tables.USERS;

import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.dao.DataRetrievalFailureException;
import org.springframework.stereotype.Repository;

import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.owner.UserState;
import dev.patrol.settings.InstanceSettings;
import dev.patrol.settings.SettingsService;

/** Tokens, their scopes and last-used addresses, as jOOQ queries on the generated tables. */
@Repository
public class TokenRepository {

    /** The columns of {@link AccessToken}, in record order (scopes come from their own table). */
    public static final List<SelectField<?>> COLUMNS = List.of(ACCESS_TOKENS.ID, ACCESS_TOKENS.TYPE,
            ACCESS_TOKENS.NAME, ACCESS_TOKENS.DESCRIPTION, ACCESS_TOKENS.USER_ID, ACCESS_TOKENS.PROJECT_ID,
            ACCESS_TOKENS.GROUP_ID, ACCESS_TOKENS.RESOURCE_ID, ACCESS_TOKENS.ROOT_GROUP_ID, ACCESS_TOKENS.ACCESS_LEVEL,
            ACCESS_TOKENS.USERNAME, ACCESS_TOKENS.DISPLAY_PREFIX, ACCESS_TOKENS.CREATED_AT,
            ACCESS_TOKENS.CREATED_BY_ID, ACCESS_TOKENS.EXPIRES_AT, ACCESS_TOKENS.REVOKED_AT,
            ACCESS_TOKENS.REVOKE_REASON, ACCESS_TOKENS.LAST_USED_AT, ACCESS_TOKENS.PREVIOUS_TOKEN_ID,
            ACCESS_TOKENS.FAMILY_ID);

    /** A token's scopes as one comma-separated list in name order, for a query that selects from access_tokens. */
    public static final Field<String> SCOPE_LIST = DSL.field(DSL.select(DSL.groupConcat(ACCESS_TOKEN_SCOPES.SCOPE)
            .orderBy(ACCESS_TOKEN_SCOPES.SCOPE).separator(",")).from(ACCESS_TOKEN_SCOPES)
            .where(ACCESS_TOKEN_SCOPES.TOKEN_ID.eq(ACCESS_TOKENS.ID)));

    /** {@link #COLUMNS} and the scopes as one comma-separated list. */
    private static final List<SelectField<?>> WITH_SCOPES = withScopes();

    /** {@link #COLUMNS}, the scopes as one comma-separated list, and the instance settings. */
    private static final List<SelectField<?>> WITH_SCOPES_AND_SETTINGS = withScopesAnd(SettingsService.SETTINGS);

    private final DSLContext dsl;
    /** The authentication query, rendered once for this database (see {@link #findForAuthentication}). */
    private final String authenticationSql;

    public TokenRepository(DSLContext dsl) {
        this.dsl = dsl;
        this.authenticationSql = dsl.render(dsl.select(WALK_FIELDS).from(WITH_OWNER)
                .where(ACCESS_TOKENS.DIGEST.eq(DSL.param("digest", ACCESS_TOKENS.DIGEST.getDataType()))));
    }

    /** Maps a row selected with {@link #COLUMNS}; scopes are left empty for {@link #withScopes} to fill. */
    public static AccessToken toToken(Record r) {
        return new AccessToken(r.get(ACCESS_TOKENS.ID), r.get(ACCESS_TOKENS.TYPE),
                r.get(ACCESS_TOKENS.NAME), r.get(ACCESS_TOKENS.DESCRIPTION), r.get(ACCESS_TOKENS.USER_ID),
                r.get(ACCESS_TOKENS.PROJECT_ID), r.get(ACCESS_TOKENS.GROUP_ID), r.get(ACCESS_TOKENS.RESOURCE_ID),
                r.get(ACCESS_TOKENS.ROOT_GROUP_ID), r.get(ACCESS_TOKENS.ACCESS_LEVEL), r.get(ACCESS_TOKENS.USERNAME),
                r.get(ACCESS_TOKENS.DISPLAY_PREFIX), r.get(ACCESS_TOKENS.CREATED_AT),
                r.get(ACCESS_TOKENS.CREATED_BY_ID), r.get(ACCESS_TOKENS.EXPIRES_AT), r.get(ACCESS_TOKENS.REVOKED_AT),
                r.get(ACCESS_TOKENS.REVOKE_REASON), r.get(ACCESS_TOKENS.LAST_USED_AT),
                r.get(ACCESS_TOKENS.PREVIOUS_TOKEN_ID), r.get(ACCESS_TOKENS.FAMILY_ID), List.of());
    }

    /** One token with its scopes, in one statement (mutations read the token they change first). */
    public Optional<AccessToken> findById(long id) {
        return dsl.select(WITH_SCOPES).from(ACCESS_TOKENS).where(ACCESS_TOKENS.ID.eq(id))
                .fetchOptional(r -> toToken(r).withScopes(scopeList(r.get(SCOPE_LIST))));
    }

    /** A token to change, and the instance settings that rule the change. */
    public record TokenAndSettings(AccessToken token, InstanceSettings settings) {
    }

    /** One token with its scopes and the instance settings, in one statement: what a rotation or extension reads. */
    public Optional<TokenAndSettings> findWithSettings(long id) {
        return dsl.select(WITH_SCOPES_AND_SETTINGS).from(ACCESS_TOKENS).crossJoin(INSTANCE_SETTINGS)
                .where(ACCESS_TOKENS.ID.eq(id), SettingsService.THE_INSTANCE)
                .fetchOptional(r -> new TokenAndSettings(toToken(r).withScopes(scopeList(r.get(SCOPE_LIST))),
                        r.get(SettingsService.SETTINGS)));
    }

    /** The tokens with these ids, with scopes, in id order: two statements whatever the count. */
    public List<AccessToken> findByIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return withScopes(dsl.select(COLUMNS).from(ACCESS_TOKENS).where(ACCESS_TOKENS.ID.in(ids))
                .orderBy(ACCESS_TOKENS.ID).fetch(TokenRepository::toToken));
    }

    public Optional<AccessToken> findByDigest(byte[] digest) {
        return dsl.select(COLUMNS).from(ACCESS_TOKENS).where(ACCESS_TOKENS.DIGEST.eq(digest))
                .fetchOptional(TokenRepository::toToken)
                .map(t -> withScopes(List.of(t)).getFirst());
    }

    /** A token as the authentication path needs it: with its scopes and its user (null for tokens without one). */
    public record TokenAndUser(AccessToken token, User user) {
    }

    /**
     * The token with this digest, its scopes and its user in one statement: the cold authentication path, where
     * every round trip counts. Its SQL is rendered once (rendering it per request cost about a tenth of the server's
     * CPU under a cold-cache load) and its row is read by position as a walk reads it: jOOQ's record mapping around
     * this one row cost three times the driver's own work (JFR, cold authentication on MariaDB).
     */
    public Optional<TokenAndUser> findForAuthentication(byte[] digest) {
        return onlyRow(dsl.resultQuery(authenticationSql, digest).coerce(WALK_FIELD_LIST));
    }

    /** The token with this id with its scopes and user, as {@link #findForAuthentication} reads them. */
    public Optional<TokenAndUser> findForAuthenticationById(long id) {
        return onlyRow(dsl.select(WALK_FIELDS).from(WITH_OWNER).where(ACCESS_TOKENS.ID.eq(id)));
    }

    private static Optional<TokenAndUser> onlyRow(ResultQuery<?> query) {
        try (ResultSet rs = query.fetchResultSet()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            AccessToken token = readToken(rs, TokenRepository::scopeList);
            return Optional.of(new TokenAndUser(token, token.userId() == null ? null : readOwner(rs)));
        } catch (SQLException e) {
            throw new DataRetrievalFailureException("Reading a token failed", e);
        }
    }

    /**
     * A token's owner as a walk joins it ({@code LEFT JOIN users owner}), so that a condition on the owner (GitLab's
     * {@code owner_is_human}) is a plain predicate on the joined row. As a dependent subquery per row the same walk
     * took about twice as long on MariaDB.
     */
    public static final patrol.jooq.tables.Users OWNER = USERS.as("owner");

    /** What a walk reads from: tokens with their owner joined as {@link #OWNER}. */
    public static final Table<?> WITH_OWNER = ACCESS_TOKENS.leftJoin(OWNER).on(OWNER.ID.eq(ACCESS_TOKENS.USER_ID));

    private static final List<SelectField<?>> WALK_FIELDS = walkFields();

    /** The same as fields: a plain SQL query told its columns does not ask the driver for the result's metadata. */
    private static final List<Field<?>> WALK_FIELD_LIST = WALK_FIELDS.stream().<Field<?>>map(f -> (Field<?>) f).toList();

    /**
     * Up to {@code limit} tokens matching {@code condition} (which may name {@link #OWNER}) with an id above
     * {@code afterId}, in id order, each with its scopes and its owner, in one statement: a chunk of a keyset walk.
     * The rows are read straight from the JDBC result by position (no jOOQ record, no {@code java.sql.Timestamp}
     * per value); each owner and each distinct scope list is decoded once per chunk, however many of its tokens the
     * chunk holds.
     */
    public List<TokenAndUser> walkChunk(Condition condition, long afterId, int limit) {
        List<TokenAndUser> chunk = new ArrayList<>(Math.min(limit, 1000));
        Map<Long, User> owners = new HashMap<>();
        Map<String, List<Scope>> scopeLists = new HashMap<>();
        try (ResultSet rs = dsl.select(WALK_FIELDS).from(WITH_OWNER)
                .where(condition.and(ACCESS_TOKENS.ID.gt(afterId)))
                .orderBy(ACCESS_TOKENS.ID)
                .limit(limit)
                .fetchResultSet()) {
            while (rs.next()) {
                AccessToken token = readToken(rs, list -> list == null ? List.of()
                        : scopeLists.computeIfAbsent(list, TokenRepository::scopeList));
                User owner = null;
                if (token.userId() != null) {
                    owner = owners.get(token.userId());
                    if (owner == null) {
                        owner = readOwner(rs);
                        if (owner != null) {
                            owners.put(owner.id(), owner);
                        }
                    }
                }
                chunk.add(new TokenAndUser(token, owner));
            }
        } catch (SQLException e) {
            throw new DataRetrievalFailureException("Reading a chunk of tokens failed", e);
        }
        return chunk;
    }

    /** A token selected with {@link #WALK_FIELDS}, read by position (no jOOQ record, no {@code java.sql.Timestamp}). */
    private static AccessToken readToken(ResultSet rs, Function<String, List<Scope>> scopes) throws SQLException {
        return new AccessToken(rs.getLong(1), TokenType.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                longOrNull(rs, 5), longOrNull(rs, 6), longOrNull(rs, 7), longOrNull(rs, 8), longOrNull(rs, 9),
                intOrNull(rs, 10), rs.getString(11), rs.getString(12), rs.getObject(13, LocalDateTime.class),
                longOrNull(rs, 14), rs.getObject(15, LocalDate.class), rs.getObject(16, LocalDateTime.class),
                rs.getString(17), rs.getObject(18, LocalDateTime.class), longOrNull(rs, 19), longOrNull(rs, 20),
                scopes.apply(rs.getString(21)));
    }

    /** The owner joined to a row selected with {@link #WALK_FIELDS}; null when the token has none. */
    private static User readOwner(ResultSet rs) throws SQLException {
        Long id = longOrNull(rs, 22);
        return id == null ? null : new User(id, rs.getString(23), rs.getString(24), rs.getString(25),
                UserKind.valueOf(rs.getString(26)), rs.getBoolean(27), UserState.valueOf(rs.getString(28)),
                longOrNull(rs, 29), rs.getObject(30, LocalDateTime.class));
    }

    private static List<SelectField<?>> walkFields() {
        List<SelectField<?>> fields = new ArrayList<>(COLUMNS);
        fields.add(SCOPE_LIST);
        fields.addAll(List.of(OWNER.ID, OWNER.USERNAME, OWNER.NAME, OWNER.EMAIL, OWNER.KIND, OWNER.ADMIN, OWNER.STATE,
                OWNER.ENTERPRISE_GROUP_ID, OWNER.CREATED_AT));
        return List.copyOf(fields);
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static List<SelectField<?>> withScopes() {
        List<SelectField<?>> fields = new ArrayList<>(COLUMNS);
        fields.add(SCOPE_LIST);
        return List.copyOf(fields);
    }

    private static List<SelectField<?>> withScopesAnd(SelectField<?> more) {
        List<SelectField<?>> fields = new ArrayList<>(COLUMNS);
        fields.addAll(List.of(SCOPE_LIST, more));
        return List.copyOf(fields);
    }

    /** A comma-separated scope list in the registry's order (an enum set's), without names it does not know. */
    private static List<Scope> scopeList(String list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String id : list.split(",")) {
            Scope.fromId(id).ifPresent(scopes::add);
        }
        return List.copyOf(scopes);
    }

    public boolean digestExists(byte[] digest) {
        return dsl.fetchExists(ACCESS_TOKENS, ACCESS_TOKENS.DIGEST.eq(digest));
    }

    /** Fills in the scopes of a page of tokens with one statement. */
    public List<AccessToken> withScopes(List<AccessToken> tokens) {
        if (tokens.isEmpty()) {
            return tokens;
        }
        Map<Long, List<Scope>> scopes = scopesOf(tokens.stream().map(AccessToken::id).toList());
        return tokens.stream().map(t -> t.withScopes(scopes.getOrDefault(t.id(), List.of()))).toList();
    }

    /** Scopes per token id, each list in the registry's order. */
    public Map<Long, List<Scope>> scopesOf(Collection<Long> tokenIds) {
        Map<Long, List<Scope>> result = new LinkedHashMap<>();
        dsl.select(ACCESS_TOKEN_SCOPES.TOKEN_ID, ACCESS_TOKEN_SCOPES.SCOPE)
                .from(ACCESS_TOKEN_SCOPES)
                .where(ACCESS_TOKEN_SCOPES.TOKEN_ID.in(tokenIds))
                .forEach(r -> Scope.fromId(r.value2()).ifPresent(
                        s -> result.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(s)));
        result.values().forEach(list -> list.sort(Comparator.naturalOrder()));
        return result;
    }

    /** The last-used addresses per token id, most recent first. */
    public Map<Long, List<String>> lastUsedIps(Collection<Long> tokenIds) {
        if (tokenIds.isEmpty()) {
            return Map.of();
        }
        return dsl.select(ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID, ACCESS_TOKEN_LAST_USED_IPS.IP)
                .from(ACCESS_TOKEN_LAST_USED_IPS)
                .where(ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID.in(tokenIds))
                .orderBy(ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID, ACCESS_TOKEN_LAST_USED_IPS.USED_AT.desc())
                .fetchGroups(ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID, ACCESS_TOKEN_LAST_USED_IPS.IP);
    }

    public long insert(AccessToken t, byte[] digest) {
        long id = dsl.insertInto(ACCESS_TOKENS)
                .set(ACCESS_TOKENS.TYPE, t.type())
                .set(ACCESS_TOKENS.NAME, t.name())
                .set(ACCESS_TOKENS.DESCRIPTION, t.description())
                .set(ACCESS_TOKENS.USER_ID, t.userId())
                .set(ACCESS_TOKENS.PROJECT_ID, t.projectId())
                .set(ACCESS_TOKENS.GROUP_ID, t.groupId())
                .set(ACCESS_TOKENS.RESOURCE_ID, t.resourceId())
                .set(ACCESS_TOKENS.ROOT_GROUP_ID, t.rootGroupId())
                .set(ACCESS_TOKENS.ACCESS_LEVEL, t.accessLevel())
                .set(ACCESS_TOKENS.USERNAME, t.username())
                .set(ACCESS_TOKENS.DIGEST, digest)
                .set(ACCESS_TOKENS.DISPLAY_PREFIX, t.displayPrefix())
                .set(ACCESS_TOKENS.CREATED_AT, t.createdAt())
                .set(ACCESS_TOKENS.CREATED_BY_ID, t.createdById())
                .set(ACCESS_TOKENS.EXPIRES_AT, t.expiresAt())
                .set(ACCESS_TOKENS.PREVIOUS_TOKEN_ID, t.previousTokenId())
                .set(ACCESS_TOKENS.FAMILY_ID, t.familyId())
                .returningResult(ACCESS_TOKENS.ID)
                .fetchSingle(ACCESS_TOKENS.ID);
        if (!t.scopes().isEmpty()) {
            var insert = dsl.insertInto(ACCESS_TOKEN_SCOPES, ACCESS_TOKEN_SCOPES.TOKEN_ID, ACCESS_TOKEN_SCOPES.SCOPE);
            for (Scope scope : t.scopes()) {
                insert = insert.values(id, scope.id());
            }
            insert.execute();
        }
        return id;
    }

    public void setUsername(long id, String username) {
        dsl.update(ACCESS_TOKENS).set(ACCESS_TOKENS.USERNAME, username).where(ACCESS_TOKENS.ID.eq(id)).execute();
    }

    /**
     * Revokes the token unless it already is. The condition makes this the one atomic step that decides which of
     * two concurrent revocations or rotations wins, on one instance or many.
     */
    public boolean revokeIfActive(long id, LocalDateTime now, String reason) {
        return dsl.update(ACCESS_TOKENS)
                .set(ACCESS_TOKENS.REVOKED_AT, now)
                .set(ACCESS_TOKENS.REVOKE_REASON, reason)
                .where(ACCESS_TOKENS.ID.eq(id), ACCESS_TOKENS.REVOKED_AT.isNull())
                .execute() == 1;
    }

    /** The ids of the not-yet-revoked tokens in a rotation family. */
    public List<Long> unrevokedInFamily(long familyRootId) {
        return dsl.select(ACCESS_TOKENS.ID).from(ACCESS_TOKENS)
                .where(ACCESS_TOKENS.ID.eq(familyRootId).or(ACCESS_TOKENS.FAMILY_ID.eq(familyRootId)))
                .and(ACCESS_TOKENS.REVOKED_AT.isNull())
                .fetch(ACCESS_TOKENS.ID);
    }

    public int revokeAll(Collection<Long> ids, LocalDateTime now, String reason) {
        if (ids.isEmpty()) {
            return 0;
        }
        return dsl.update(ACCESS_TOKENS)
                .set(ACCESS_TOKENS.REVOKED_AT, now)
                .set(ACCESS_TOKENS.REVOKE_REASON, reason)
                .where(ACCESS_TOKENS.ID.in(ids), ACCESS_TOKENS.REVOKED_AT.isNull())
                .execute();
    }

    /** How many of these tokens are unrevoked, by type (for the metrics of a bulk revocation). */
    Map<TokenType, Integer> activeCountsByType(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return dsl.select(ACCESS_TOKENS.TYPE, DSL.count()).from(ACCESS_TOKENS)
                .where(ACCESS_TOKENS.ID.in(ids), ACCESS_TOKENS.REVOKED_AT.isNull())
                .groupBy(ACCESS_TOKENS.TYPE)
                .fetchMap(ACCESS_TOKENS.TYPE, DSL.count());
    }

    /** Active tokens of a one-per-holder type for the same holder, which a new one replaces. */
    public List<Long> unrevokedForHolder(TokenType type, Long userId, Long projectId, Long groupId, Long resourceId) {
        return dsl.select(ACCESS_TOKENS.ID).from(ACCESS_TOKENS)
                .where(ACCESS_TOKENS.TYPE.eq(type), ACCESS_TOKENS.REVOKED_AT.isNull(),
                        eqOrNull(ACCESS_TOKENS.USER_ID, userId), eqOrNull(ACCESS_TOKENS.PROJECT_ID, projectId),
                        eqOrNull(ACCESS_TOKENS.GROUP_ID, groupId), eqOrNull(ACCESS_TOKENS.RESOURCE_ID, resourceId))
                .fetch(ACCESS_TOKENS.ID);
    }

    public void updateExpiry(long id, LocalDate expiresAt) {
        dsl.update(ACCESS_TOKENS).set(ACCESS_TOKENS.EXPIRES_AT, expiresAt).where(ACCESS_TOKENS.ID.eq(id)).execute();
    }

    /** One set-based statement: moves the expiry of the unrevoked tokens of the types expiring on a date. */
    public int extendExpiringOn(LocalDate date, Collection<TokenType> types, LocalDate newDate) {
        return dsl.update(ACCESS_TOKENS).set(ACCESS_TOKENS.EXPIRES_AT, newDate).where(expiringOn(date, types)).execute();
    }

    private static Condition expiringOn(LocalDate date, Collection<TokenType> types) {
        return ACCESS_TOKENS.EXPIRES_AT.eq(date)
                .and(ACCESS_TOKENS.REVOKED_AT.isNull())
                .and(ACCESS_TOKENS.TYPE.in(types));
    }

    private static <T> Condition eqOrNull(org.jooq.Field<T> field, T value) {
        return value == null ? field.isNull() : field.eq(value);
    }

    // set-based writes for other modules: retention and estate generation

    /** Deletes the tokens, their scopes, addresses and scope usage going with them: one statement. */
    public int deleteAll(Collection<Long> ids) {
        return ids.isEmpty() ? 0 : dsl.deleteFrom(ACCESS_TOKENS).where(ACCESS_TOKENS.ID.in(ids)).execute();
    }

    /** A token to store as it is (its id is ignored), with its digest and last-used addresses (address → time). */
    public record StoredToken(AccessToken token, byte[] digest, Map<String, LocalDateTime> lastUsedIps) {
    }

    /**
     * Inserts the tokens with their scopes and last-used addresses, for estates built in bulk: four statements
     * however many tokens (a multi-row insert each, and one query for the new ids). Returns the ids in order.
     */
    public List<Long> insertAll(List<StoredToken> stored) {
        if (stored.isEmpty()) {
            return List.of();
        }
        // Columns no token in the list sets stay out: fewer values to render and send for a large estate.
        boolean described = stored.stream().anyMatch(s -> s.token().description() != null);
        boolean rotated = stored.stream()
                .anyMatch(s -> s.token().previousTokenId() != null || s.token().familyId() != null);
        List<Field<?>> columns = new ArrayList<>(List.of(ACCESS_TOKENS.TYPE, ACCESS_TOKENS.NAME,
                ACCESS_TOKENS.USER_ID, ACCESS_TOKENS.PROJECT_ID, ACCESS_TOKENS.GROUP_ID, ACCESS_TOKENS.RESOURCE_ID,
                ACCESS_TOKENS.ROOT_GROUP_ID, ACCESS_TOKENS.ACCESS_LEVEL, ACCESS_TOKENS.USERNAME, ACCESS_TOKENS.DIGEST,
                ACCESS_TOKENS.DISPLAY_PREFIX, ACCESS_TOKENS.CREATED_AT, ACCESS_TOKENS.CREATED_BY_ID,
                ACCESS_TOKENS.EXPIRES_AT, ACCESS_TOKENS.REVOKED_AT, ACCESS_TOKENS.REVOKE_REASON,
                ACCESS_TOKENS.LAST_USED_AT));
        if (described) {
            columns.add(ACCESS_TOKENS.DESCRIPTION);
        }
        if (rotated) {
            columns.addAll(List.of(ACCESS_TOKENS.PREVIOUS_TOKEN_ID, ACCESS_TOKENS.FAMILY_ID));
        }
        var insert = dsl.insertInto(ACCESS_TOKENS, columns);
        List<byte[]> digests = new ArrayList<>(stored.size());
        for (StoredToken s : stored) {
            AccessToken t = s.token();
            digests.add(s.digest());
            List<Object> row = new ArrayList<>(Arrays.asList(t.type().name(), t.name(), t.userId(), t.projectId(),
                    t.groupId(), t.resourceId(), t.rootGroupId(), t.accessLevel(), t.username(), s.digest(),
                    t.displayPrefix(), t.createdAt(), t.createdById(), t.expiresAt(), t.revokedAt(),
                    t.revokeReason(), t.lastUsedAt()));
            if (described) {
                row.add(t.description());
            }
            if (rotated) {
                row.addAll(Arrays.asList(t.previousTokenId(), t.familyId()));
            }
            insert = insert.values(row);
        }
        insert.execute();
        Map<ByteBuffer, Long> idByDigest = new HashMap<>(stored.size() * 2);
        dsl.select(ACCESS_TOKENS.DIGEST, ACCESS_TOKENS.ID).from(ACCESS_TOKENS).where(ACCESS_TOKENS.DIGEST.in(digests))
                .forEach(r -> idByDigest.put(ByteBuffer.wrap(r.value1()), r.value2()));
        List<Long> ids = digests.stream().map(d -> idByDigest.get(ByteBuffer.wrap(d))).toList();

        var scopes = dsl.insertInto(ACCESS_TOKEN_SCOPES, ACCESS_TOKEN_SCOPES.TOKEN_ID, ACCESS_TOKEN_SCOPES.SCOPE);
        var ips = dsl.insertInto(ACCESS_TOKEN_LAST_USED_IPS, ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID,
                ACCESS_TOKEN_LAST_USED_IPS.IP, ACCESS_TOKEN_LAST_USED_IPS.USED_AT);
        boolean anyScope = false;
        boolean anyIp = false;
        for (int i = 0; i < stored.size(); i++) {
            long id = ids.get(i);
            for (Scope scope : stored.get(i).token().scopes()) {
                scopes = scopes.values(id, scope.id());
                anyScope = true;
            }
            for (var ip : stored.get(i).lastUsedIps().entrySet()) {
                ips = ips.values(id, ip.getKey(), ip.getValue());
                anyIp = true;
            }
        }
        if (anyScope) {
            scopes.execute();
        }
        if (anyIp) {
            ips.execute();
        }
        return ids;
    }
}
