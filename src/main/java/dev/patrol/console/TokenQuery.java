package dev.patrol.console;

import static patrol.jooq.Tables.ACCESS_TOKENS;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jooq.Condition;
import org.jooq.impl.DSL;

import dev.patrol.owner.UserKind;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenRepository.TokenAndUser;
import dev.patrol.token.TokenSecrets;
import dev.patrol.token.TokenType;
import groovy.lang.Closure;
import groovy.lang.Range;

/**
 * A refinable, lazy query over tokens, named like GitLab's scopes so the seed scripts read the same:
 * {@code PersonalAccessTokens.ownerIsHuman().where(expiresAt: date).each { ... }}. Walking it reads one chunk
 * of tokens at a time by id (keyset), with their scopes and owners in the chunk's one statement, so memory stays flat.
 * Each method returns a new query; nothing runs until {@code each}, {@code count}, {@code list} or {@code first}.
 */
public final class TokenQuery {

    static final Set<TokenType> ALL_TYPES = EnumSet.allOf(TokenType.class);
    private static final int DEFAULT_CHUNK = 1000;

    private final ScriptContext context;
    private final Set<TokenType> types;
    private final Condition condition;
    private final int chunkSize;

    TokenQuery(ScriptContext context, Set<TokenType> types) {
        this(context, types, DSL.noCondition(), DEFAULT_CHUNK);
    }

    private TokenQuery(ScriptContext context, Set<TokenType> types, Condition condition, int chunkSize) {
        this.context = context;
        this.types = types.isEmpty() ? Set.of() : EnumSet.copyOf(types);
        this.condition = condition;
        this.chunkSize = chunkSize;
    }

    TokenQuery and(Condition more) {
        return new TokenQuery(context, types, condition.and(more), chunkSize);
    }

    private TokenQuery only(Collection<TokenType> subset) {
        Set<TokenType> narrowed = EnumSet.noneOf(TokenType.class);
        narrowed.addAll(types);
        narrowed.retainAll(subset);
        return new TokenQuery(context, narrowed, condition, chunkSize);
    }

    // refining

    /**
     * Personal and impersonation tokens of human users (GitLab's {@code owner_is_human}): a condition on the owner
     * every read joins ({@link TokenRepository#OWNER}). Written as {@code IS NOT DISTINCT FROM} ({@code <=>} on
     * MySQL and MariaDB) rather than {@code =}: an equality would let MariaDB turn the outer join into an inner one
     * and drive the walk from the users, sorting every remaining match for each chunk (seconds per chunk on 200,000
     * tokens), as the {@code user_id IN (SELECT ...)} form did; a scalar subquery per row took twice as long as the
     * join that keeps reading tokens in id order.
     */
    public TokenQuery ownerIsHuman() {
        return only(TokenType.where(TokenType::usersPersonalAccessToken))
                .and(TokenRepository.OWNER.KIND.isNotDistinctFrom(UserKind.HUMAN));
    }

    /** Project and group access tokens, held by their bots (GitLab's {@code project_access_token}). */
    public TokenQuery projectAccessToken() {
        return only(TokenType.where(TokenType::hasRole));
    }

    public TokenQuery withoutImpersonation() {
        return only(TokenType.where(t -> !t.impersonation()));
    }

    public TokenQuery notRevoked() {
        return and(ACCESS_TOKENS.REVOKED_AT.isNull());
    }

    public TokenQuery revoked() {
        return and(ACCESS_TOKENS.REVOKED_AT.isNotNull());
    }

    /** Not revoked and not expired today. */
    public TokenQuery active() {
        LocalDate today = context.services().tokens().today();
        return notRevoked().and(ACCESS_TOKENS.EXPIRES_AT.isNull().or(ACCESS_TOKENS.EXPIRES_AT.gt(today)));
    }

    /** Tokens of the given types, by name: {@code ofType('DEPLOY', 'PIPELINE_TRIGGER')}. */
    public TokenQuery ofType(String... names) {
        List<TokenType> wanted = Arrays.stream(names).map(n -> TokenType.fromName(n)
                .orElseThrow(() -> new ScriptFailure("Unknown token type '" + n + "'. Types: "
                        + Arrays.toString(TokenType.values())))).toList();
        return only(wanted);
    }

    /**
     * Filters by field: {@code expiresAt} (a date, "YYYY-MM-DD", a range {@code from..to} or null for "never"),
     * {@code revoked} (true/false), {@code userId}, {@code projectId}, {@code groupId}, {@code name}.
     */
    public TokenQuery where(Map<String, Object> fields) {
        TokenQuery q = this;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Object v = e.getValue();
            q = switch (e.getKey()) {
                case "expiresAt" -> q.and(expiresAt(v));
                case "revoked" -> Boolean.TRUE.equals(v) ? q.revoked() : q.notRevoked();
                case "userId" -> q.and(ACCESS_TOKENS.USER_ID.eq(toLong(v)));
                case "projectId" -> q.and(ACCESS_TOKENS.PROJECT_ID.eq(toLong(v)));
                case "groupId" -> q.and(ACCESS_TOKENS.GROUP_ID.eq(toLong(v)));
                case "name" -> q.and(ACCESS_TOKENS.NAME.eq(Objects.toString(v)));
                default -> throw new ScriptFailure("Cannot filter tokens by '" + e.getKey()
                        + "'; use expiresAt, revoked, userId, projectId, groupId or name.");
            };
        }
        return q;
    }

    /** How many tokens each chunk of {@link #each} reads (default 1000). */
    public TokenQuery inChunksOf(int size) {
        if (size < 1 || size > 10_000) {
            throw new ScriptFailure("Chunk size must be between 1 and 10000.");
        }
        return new TokenQuery(context, types, condition, size);
    }

    private static Condition expiresAt(Object v) {
        if (v == null) {
            return ACCESS_TOKENS.EXPIRES_AT.isNull();
        }
        if (v instanceof Range<?> range) {
            return ACCESS_TOKENS.EXPIRES_AT.between(Dates.of(range.getFrom()), Dates.of(range.getTo()));
        }
        return ACCESS_TOKENS.EXPIRES_AT.eq(Dates.of(v));
    }

    private static long toLong(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(Objects.toString(v));
        } catch (NumberFormatException e) {
            throw new ScriptFailure("'" + v + "' is not an id.");
        }
    }

    // reading

    /** Walks every matching token in id order, one chunk at a time. */
    public void each(Closure<?> action) {
        long after = 0;
        while (true) {
            List<TokenHandle> chunk = chunkAfter(after, chunkSize);
            for (TokenHandle token : chunk) {
                action.call(token);
            }
            if (chunk.size() < chunkSize) {
                return;
            }
            after = chunk.getLast().getId();
        }
    }

    /** The Rails name for {@link #each}. */
    public void findEach(Closure<?> action) {
        each(action);
    }

    public long count() {
        return context.services().dsl().fetchCount(TokenRepository.WITH_OWNER, where());
    }

    /** The first {@code max} matching tokens in id order. */
    public List<TokenHandle> list(int max) {
        return chunkAfter(0, max);
    }

    public List<TokenHandle> list() {
        return list(100);
    }

    public TokenHandle first() {
        List<TokenHandle> one = chunkAfter(0, 1);
        return one.isEmpty() ? null : one.getFirst();
    }

    public TokenHandle find(long id) {
        return and(ACCESS_TOKENS.ID.eq(id)).first();
    }

    /** The token a value belongs to, or null (GitLab's {@code find_by_token}). */
    public TokenHandle findByToken(String value) {
        return context.services().tokens().findByValue(value)
                .filter(t -> types.contains(t.type()))
                .map(t -> new TokenHandle(context, t, null, null))
                .orElse(null);
    }

    /**
     * Issues a token through the token service (audited): {@code type} (default PERSONAL), {@code name},
     * {@code scopes}, {@code expiresAt}, {@code description}, one holder ({@code user}, {@code project},
     * {@code group} or their ids, {@code resourceId}), {@code accessLevel}, and optionally {@code value} to
     * choose the secret (GitLab's {@code set_token}). The returned handle shows the value once.
     */
    @SuppressWarnings("unchecked")
    public TokenHandle create(Map<String, Object> spec) {
        TokenType type = TokenType.fromName(Objects.toString(spec.getOrDefault("type", "PERSONAL")))
                .orElseThrow(() -> new ScriptFailure("Unknown token type '" + spec.get("type") + "'."));
        Object user = spec.get("user");
        Long userId = user instanceof UserHandle u ? Long.valueOf(u.getId()) : idOrNull(spec.get("userId"));
        List<String> scopes = spec.get("scopes") == null ? List.of()
                : ((Collection<Object>) spec.get("scopes")).stream().map(Objects::toString).toList();
        NewToken request = new NewToken(type, (String) spec.get("name"), (String) spec.get("description"), scopes,
                Dates.of(spec.get("expiresAt")), userId, idOrNull(spec.get("projectId")),
                idOrNull(spec.get("groupId")), idOrNull(spec.get("resourceId")),
                spec.get("accessLevel") == null ? null : ((Number) spec.get("accessLevel")).intValue(),
                (String) spec.get("username"));
        Object value = spec.get("value");
        IssuedToken issued = value == null
                ? context.services().tokens().issue(context.actor(), request)
                : context.services().tokens().issueWithValue(context.actor(), request, value.toString());
        return new TokenHandle(context, issued.token(), null, issued.secret());
    }

    /**
     * Moves the expiry of every unrevoked personal, project and group access token expiring on {@code date} to
     * {@code newDate}, set-based, with one audit event (the token service's bulk extension).
     *
     * @return how many tokens changed
     */
    public int extendExpiringOn(Object date, Object newDate) {
        return context.services().tokens().extendExpiringOn(context.actor(), Dates.of(date), Dates.of(newDate));
    }

    /**
     * A well-formed value for the type built from a chosen 32-character random part (letters and digits), for
     * {@code create(value: ...)}.
     */
    public String valueFor(String typeName, String randomPart) {
        TokenType type = TokenType.fromName(typeName)
                .orElseThrow(() -> new ScriptFailure("Unknown token type '" + typeName + "'."));
        try {
            return TokenSecrets.withChecksum(type.prefix(), randomPart);
        } catch (IllegalArgumentException e) {
            throw new ScriptFailure("The random part must be " + TokenSecrets.RANDOM_LENGTH + " letters or digits.");
        }
    }

    private static Long idOrNull(Object v) {
        return v == null ? null : toLong(v);
    }

    private Condition where() {
        return ACCESS_TOKENS.TYPE.in(types).and(condition);
    }

    private List<TokenHandle> chunkAfter(long afterId, int size) {
        List<TokenAndUser> chunk = context.services().tokenRepository().walkChunk(where(), afterId, size);
        List<TokenHandle> handles = new ArrayList<>(chunk.size());
        for (TokenAndUser t : chunk) {
            handles.add(new TokenHandle(context, t.token(), t.user(), null));
        }
        return handles;
    }

    @Override
    public String toString() {
        return "token query over " + types + " (" + count() + " tokens)";
    }
}
