package dev.patrol.inventory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.inventory.InventoryRepository.DateCount;
import dev.patrol.inventory.InventoryRepository.Position;
import dev.patrol.inventory.InventoryRepository.Risks;
import dev.patrol.inventory.InventoryRepository.TypeStateCount;
import dev.patrol.inventory.InventoryRepository.Visibility;
import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Permissions;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.shared.Connection;
import dev.patrol.shared.Cursors;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.IpRange;
import dev.patrol.shared.PageRequest;
import dev.patrol.shared.PatrolException;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.RevokeResult;
import dev.patrol.token.TokenAccessPolicy;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/**
 * The credentials inventory: who sees what, listing, aggregates, the least-privilege and offboarding reports,
 * and the actions taken from it. Administrators see the whole instance; the Owners of a top-level group see the
 * group's part of it: of its tokens those {@link TokenAccessPolicy} lets them manage, and its enterprise users'
 * SSH keys.
 */
@Service
public class InventoryService {

    /** The most tokens one bulk revocation may take; a larger estate is revoked in narrower slices. */
    static final int MAX_BULK = 1000;
    /** Day counts and windows: at most ten years, so today plus or minus a count is a date both databases store. */
    static final int MAX_DAYS = 3650;
    /** The token types a group Owner may revoke in bulk (the others need an administrator). */
    static final Set<TokenType> GROUP_OWNER_BULK_TYPES = TokenType.where(TokenType::revokedInBulkByGroupOwners);
    static final int EXPORT_PAGE = 1000;
    static final int REPORT_LIMIT = 1000;
    /**
     * A list's {@code count} counts this far, then answers one more: an exact count of a large slice reads the whole
     * slice (seconds on a million tokens), as GitLab's and the REST door's X-Total are bounded too.
     */
    public static final int COUNTED_UP_TO = 10_000;

    private final InventoryRepository inventory;
    private final OwnerService owners;
    private final Permissions permissions;
    private final TokenService tokens;
    private final TokenAccessPolicy policy;
    private final AuditService audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    InventoryService(InventoryRepository inventory, OwnerService owners, Permissions permissions, TokenService tokens,
            TokenAccessPolicy policy, AuditService audit, ApplicationEventPublisher events, Clock clock) {
        this.policy = policy;
        this.inventory = inventory;
        this.owners = owners;
        this.permissions = permissions;
        this.tokens = tokens;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** The part of the estate the actor may see: the whole instance (no path, admins) or one top-level group. */
    @Transactional(readOnly = true)
    Visibility scope(Actor actor, String groupPath) {
        LocalDateTime now = LocalDateTime.now(clock.withZone(ZoneOffset.UTC));
        if (groupPath == null || groupPath.isBlank()) {
            if (!actor.admin()) {
                throw PatrolException.forbidden("Only administrators can see the whole instance's credentials; "
                        + "pass the path of a top-level group you own as groupPath.");
            }
            return new Visibility(null, policy.visibleTo(actor), now.toLocalDate(), now);
        }
        Group group = owners.groupByPath(groupPath.strip());
        if (!group.isTopLevel()) {
            throw PatrolException.badInput("The credentials inventory belongs to a top-level group; '"
                    + group.fullPath() + "' is a subgroup.");
        }
        if (!permissions.hasRole(actor, group, AccessLevel.OWNER)) {
            throw PatrolException.forbidden("Only Owners of '" + group.fullPath()
                    + "' and administrators can see its credentials inventory.");
        }
        return new Visibility(group.id(), policy.visibleTo(actor), now.toLocalDate(), now);
    }

    // listing

    /**
     * No transaction around the page, its owners' batch load and its count: each is one statement, and a read-only
     * transaction would add three round trips to each (autocommit off, commit, autocommit on).
     */
    public Connection<InventoryCredential> list(Actor actor, String groupPath, InventoryFilter filter,
            InventorySort sort, PageRequest page) {
        Visibility scope = scope(actor, groupPath);
        InventoryFilter f = valid(filter);
        InventorySort s = sort == null ? InventorySort.EXPIRES_ASC : sort;
        Position after = page.cursor() == null ? null : position(page.cursor(), s);
        List<InventoryCredential> rows = inventory.page(scope, f, s, page.backward(), after, page.size() + 1);
        return Connection.of(rows, page.size(), page.backward(), page.cursor() != null, c -> cursor(s, c),
                () -> inventory.countUpTo(scope, f, COUNTED_UP_TO));
    }

    /**
     * Streams every matching credential to {@code consumer} as the database sends it, one statement per source (see
     * {@link InventoryRepository#export}); the owner order, which has no such statement, goes a page at a time
     * through {@link #forEachPage} instead. The scope is checked by the caller before the first byte is written.
     */
    void export(Visibility scope, InventoryFilter filter, InventorySort sort, InventoryRepository.ExportConsumer consumer)
            throws java.io.IOException {
        inventory.export(scope, valid(filter), sort, consumer);
    }

    /**
     * Streams every matching credential, a page at a time, with its scopes and addresses: memory stays flat
     * whatever the size of the estate. The scope is checked by the caller before the first byte is written.
     */
    void forEachPage(Visibility scope, InventoryFilter filter, InventorySort sort,
            Consumer<List<InventoryCredential>> consumer) {
        InventoryFilter f = valid(filter);
        Position after = null;
        while (true) {
            List<InventoryCredential> rows = inventory.page(scope, f, sort, false, after, EXPORT_PAGE);
            if (rows.isEmpty()) {
                return;
            }
            consumer.accept(rows);
            if (rows.size() < EXPORT_PAGE) {
                return;
            }
            InventoryCredential last = rows.getLast();
            after = new Position(sort.keyOf(last), last.kind().ordinal(), last.id());
        }
    }

    private static List<Long> tokenIds(Collection<InventoryCredential> rows) {
        return rows.stream().filter(InventoryCredential::isToken).map(InventoryCredential::id).distinct().toList();
    }

    private static String cursor(InventorySort sort, InventoryCredential c) {
        return Cursors.encode(sort.name(), sort.keyOf(c), c.kind().ordinal(), c.id());
    }

    private static Position position(String cursor, InventorySort sort) {
        List<String> keys = Cursors.decode(cursor, sort.name(), 3);
        try {
            return new Position(keys.get(0) == null ? null : sort.key.parse.apply(keys.get(0)),
                    Integer.parseInt(keys.get(1)), Long.parseLong(keys.get(2)));
        } catch (RuntimeException e) {
            throw PatrolException.badInput("The cursor is not valid for this list and sort order.");
        }
    }

    /** The filter with every value checked, so that a bad one fails before anything is read or streamed. */
    static InventoryFilter valid(InventoryFilter filter) {
        InventoryFilter f = InventoryFilter.orAll(filter);
        if (f.types() != null) {
            for (String type : f.types()) {
                if (!type.equals(InventoryCredential.SSH_KEY_TYPE) && TokenType.fromName(type).isEmpty()) {
                    throw PatrolException.badInput("Unknown credential type '" + type + "'.");
                }
            }
        }
        if (f.lastUsedIp() != null && !f.lastUsedIp().isBlank()) {
            IpRange.parse(f.lastUsedIp());
        }
        for (List<String> scopes : java.util.Arrays.asList(f.scopesAnyOf(), f.scopesAllOf())) {
            if (scopes != null) {
                scopes.forEach(name -> dev.patrol.token.Scope.fromId(name.strip().toLowerCase())
                        .orElseThrow(() -> PatrolException.badInput("Unknown scope '" + name + "'.")));
            }
        }
        return f;
    }

    // aggregates

    /**
     * The aggregates of one slice of the inventory; each is computed only when asked for, by one statement outside
     * any transaction (GraphQL resolves them concurrently, each on its own connection).
     */
    public record Stats(Visibility scope, InventoryFilter filter) {
    }

    public enum Interval {
        DAY, WEEK, MONTH
    }

    public Stats stats(Actor actor, String groupPath, InventoryFilter filter) {
        return new Stats(scope(actor, groupPath), valid(filter));
    }

    public List<TypeStateCount> countsByTypeAndState(Stats stats) {
        return inventory.countsByTypeAndState(stats.scope(), stats.filter());
    }

    public List<DateCount> topExpiryDates(Stats stats) {
        return inventory.topExpiryDates(stats.scope(), stats.filter(), 10);
    }

    /** Active credentials expiring per day, ISO week (starting Monday) or month between two dates. */
    public List<DateCount> expiryHistogram(Stats stats, Interval interval, LocalDate from, LocalDate to) {
        if (from == null || to == null || to.isBefore(from)) {
            throw PatrolException.badInput("Give a range with 'from' on or before 'to'.");
        }
        if (ChronoUnit.DAYS.between(from, to) > 3660) {
            throw PatrolException.badInput("The histogram range is at most ten years.");
        }
        Map<LocalDate, Long> buckets = new LinkedHashMap<>();
        for (DateCount day : inventory.expiringPerDay(stats.scope(), stats.filter(), from, to)) {
            LocalDate bucket = switch (interval == null ? Interval.DAY : interval) {
                case DAY -> day.date();
                case WEEK -> day.date().with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
                case MONTH -> day.date().withDayOfMonth(1);
            };
            buckets.merge(bucket, day.count(), Long::sum);
        }
        return buckets.entrySet().stream().map(e -> new DateCount(e.getKey(), e.getValue())).toList();
    }

    public Risks risks(Stats stats, int expiringWithinDays, int unusedForDays) {
        if (expiringWithinDays < 0 || unusedForDays < 0 || expiringWithinDays > MAX_DAYS || unusedForDays > MAX_DAYS) {
            throw PatrolException.badInput("Day counts must be between 0 and " + MAX_DAYS + ".");
        }
        return inventory.risks(stats.scope(), stats.filter(), expiringWithinDays, unusedForDays);
    }

    // least privilege

    /** A token granted more than it used over the window, and the narrower set that would have sufficed. */
    public record OverPrivilegedToken(InventoryCredential credential, List<String> grantedScopes,
            List<String> usedScopes, List<String> suggestedScopes, List<String> unusedScopes) {
    }

    @Transactional(readOnly = true)
    public List<OverPrivilegedToken> overPrivileged(Actor actor, String groupPath, int windowDays, int limit) {
        if (windowDays < 1 || windowDays > MAX_DAYS) {
            throw PatrolException.badInput("windowDays must be between 1 and " + MAX_DAYS + ".");
        }
        if (limit < 1 || limit > PageRequest.MAX_SIZE) {
            throw PatrolException.badInput("first must be between 1 and " + PageRequest.MAX_SIZE + ".");
        }
        Visibility scope = scope(actor, groupPath);
        LocalDateTime since = scope.now().minusDays(windowDays);
        List<InventoryCredential> rows = inventory.overPrivileged(scope, since, 0, limit);
        Map<Long, Set<String>> used = inventory.usedScopes(tokenIds(rows), since);
        return rows.stream().map(c -> {
            List<String> g = c.scopes();
            Set<String> u = used.getOrDefault(c.id(), Set.of());
            List<String> suggested = ScopeImplication.minimal(u);
            List<String> unused = g.stream().filter(s -> !suggested.contains(s)).toList();
            return new OverPrivilegedToken(c, g, List.copyOf(new TreeSet<>(u)), suggested, unused);
        }).toList();
    }

    // offboarding

    /**
     * What blocking or removing a user would affect: the credentials that stop working (their own tokens and SSH
     * keys) and, for information, the project, group and deploy tokens they created, which keep working.
     */
    public record OffboardingImpact(User user, List<InventoryCredential> breaking,
            List<InventoryCredential> createdByUser) {
    }

    @Transactional(readOnly = true)
    public OffboardingImpact offboardingImpact(Actor actor, String username) {
        User user = owners.userByUsername(username);
        boolean allowed = actor.admin() || (user.enterpriseGroupId() != null
                && permissions.hasRole(actor, owners.group(user.enterpriseGroupId()), AccessLevel.OWNER));
        if (!allowed) {
            throw PatrolException.forbidden("Only administrators and Owners of the user's enterprise group can see "
                    + "what offboarding '" + username + "' would affect.");
        }
        List<InventoryCredential> rows = inventory.activeHeldOrCreatedBy(user.id(),
                LocalDate.now(clock.withZone(ZoneOffset.UTC)), REPORT_LIMIT);
        List<InventoryCredential> breaking = new ArrayList<>();
        List<InventoryCredential> created = new ArrayList<>();
        for (InventoryCredential c : rows) {
            (Long.valueOf(user.id()).equals(c.userId()) ? breaking : created).add(c);
        }
        return new OffboardingImpact(user, breaking, created);
    }

    // actions

    /** The outcome of an action on one credential; {@code secret} only for a rotation, shown once. */
    public record ActionResult(InventoryCredential credential, String secret, List<String> errors) {
    }

    @Transactional
    public ActionResult revoke(Actor actor, String globalId) {
        long id = tokenId(globalId);
        RevokeResult result = tokens.revoke(actor, id);
        InventoryCredential credential = credential(CredentialKind.ACCESS_TOKEN, id);
        if (!result.changed()) {
            return new ActionResult(credential, null, List.of(result.message()));
        }
        events.publishEvent(new CredentialActionTaken(actor, credential, credential.userId(),
                CredentialActionTaken.Action.REVOKED));
        return new ActionResult(credential, null, List.of());
    }

    @Transactional(noRollbackFor = dev.patrol.token.TokenReuseDetectedException.class)
    public ActionResult rotate(Actor actor, String globalId, LocalDate expiresAt) {
        long id = tokenId(globalId);
        IssuedToken issued = tokens.rotate(actor, id, expiresAt);
        InventoryCredential old = credential(CredentialKind.ACCESS_TOKEN, id);
        events.publishEvent(new CredentialActionTaken(actor, old, old.userId(), CredentialActionTaken.Action.ROTATED));
        return new ActionResult(credential(CredentialKind.ACCESS_TOKEN, issued.token().id()), issued.secret(),
                List.of());
    }

    InventoryCredential credential(CredentialKind kind, long id) {
        return inventory.find(kind, id, LocalDate.now(clock.withZone(ZoneOffset.UTC)))
                .orElseThrow(() -> PatrolException.notFound("Credential " + id + " does not exist."));
    }

    private static long tokenId(String globalId) {
        GlobalId gid = GlobalId.parse(globalId);
        if (gid.type().equals(InventoryCredential.SSH_KEY_MODEL)) {
            throw PatrolException.badInput("'" + globalId + "' is an SSH key; delete it with sshKeyDeleteFromInventory.");
        }
        return gid.id();
    }

    // bulk revoke

    /**
     * What a bulk revocation took or would take. A dry run returns the ids and a confirmation value; the real call
     * must present that value and succeeds only if the same filter still selects exactly the same tokens.
     */
    public record BulkRevocation(boolean dryRun, List<InventoryCredential> credentials, String confirmation,
            int revokedCount) {
    }

    @Transactional
    public BulkRevocation bulkRevoke(Actor actor, String groupPath, InventoryFilter filter, boolean dryRun,
            String confirmation) {
        Visibility scope = scope(actor, groupPath);
        InventoryFilter f = valid(filter);
        Set<TokenType> excluded = actor.admin() ? Set.of() : EnumSet.complementOf(EnumSet.copyOf(GROUP_OWNER_BULK_TYPES));
        List<Long> ids = inventory.revocableIds(scope, f, excluded, MAX_BULK + 1);
        if (ids.size() > MAX_BULK) {
            throw PatrolException.badInput("The filter selects more than " + MAX_BULK
                    + " tokens; narrow it and revoke in slices.");
        }
        String expected = confirmation(scope, f, ids);
        if (dryRun) {
            return new BulkRevocation(true, inventory.tokens(ids, scope.today()), expected, 0);
        }
        if (confirmation == null || confirmation.isBlank()) {
            throw PatrolException.badInput("Run with dryRun: true first and pass the confirmation it returns.");
        }
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                confirmation.strip().getBytes(StandardCharsets.US_ASCII))) {
            throw PatrolException.conflict("The tokens this filter selects changed since the preview; "
                    + "run the dry run again and review the new list.");
        }
        List<InventoryCredential> credentials = inventory.tokens(ids, scope.today());
        int revoked = ids.isEmpty() ? 0 : tokens.revokeActive(ids, scope.now());
        if (revoked != ids.size()) {
            throw PatrolException.conflict("Some of the previewed tokens were revoked concurrently; "
                    + "run the dry run again.");
        }
        for (InventoryCredential c : credentials) {
            audit.record(actor, "token_revoked", new AuditTarget(TokenType.valueOf(c.type()).modelName(), c.id(),
                    c.name(), scope.rootGroupId()), Map.of("via", "inventory_bulk_revoke"));
            events.publishEvent(new CredentialActionTaken(actor, c, c.userId(), CredentialActionTaken.Action.REVOKED));
        }
        return new BulkRevocation(false, credentials, expected, revoked);
    }

    private static String confirmation(Visibility scope, InventoryFilter filter, List<Long> sortedIds) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((scope.rootGroupId() + "|" + filter + "|" + sortedIds).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
