package dev.patrol.token;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Permissions;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.SourceType;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.settings.InstanceSettings;
import dev.patrol.settings.SettingsService;
import dev.patrol.shared.Actor;
import dev.patrol.shared.PatrolException;
import dev.patrol.shared.Source;

/**
 * The token lifecycle: issue, authenticate, revoke, rotate (with reuse detection) and extend. Every rule is
 * checked here, so the API and the console behave alike, and every change writes an audit event in the same
 * transaction.
 */
@Service
public class TokenService {

    /** How long after a rotation another rotation of the same token counts as concurrent rather than reuse. */
    static final java.time.Duration CONCURRENT_RENEWAL_WINDOW = java.time.Duration.ofSeconds(5);

    /** Tokens extended per set-based statement in bulk extension. */
    static final int EXTEND_CHUNK_IDS = 10_000;

    private final TokenRepository tokens;
    private final OwnerRepository owners;
    private final OwnerService ownerService;
    private final Permissions permissions;
    private final SettingsService settings;
    private final AuditService audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public TokenService(TokenRepository tokens, OwnerRepository owners, OwnerService ownerService,
            Permissions permissions, SettingsService settings, AuditService audit, Clock clock,
            ApplicationEventPublisher events) {
        this.tokens = tokens;
        this.owners = owners;
        this.ownerService = ownerService;
        this.permissions = permissions;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    // reading

    @Transactional(readOnly = true)
    public AccessToken token(long id) {
        return tokens.findById(id).orElseThrow(() -> PatrolException.notFound("Token " + id + " does not exist."));
    }

    /** The token a value belongs to, if any: for admins tracing a leaked value. Malformed values are not looked up. */
    @Transactional(readOnly = true)
    public Optional<AccessToken> findByValue(String value) {
        if (!TokenSecrets.isWellFormed(value)) {
            return Optional.empty();
        }
        return tokens.findByDigest(TokenSecrets.digest(value));
    }

    /** Whether the actor may revoke, rotate or extend this token. */
    @Transactional(readOnly = true)
    public boolean canManage(Actor actor, AccessToken token) {
        if (actor.admin()) {
            return true;
        }
        TokenType type = token.type();
        if (type == TokenType.IMPERSONATION) {
            return false;
        }
        if (token.userId() != null && actor.isUser(token.userId()) && type.holder() == Holder.USER) {
            return true;
        }
        if (token.projectId() != null) {
            return permissions.hasRole(actor, ownerService.project(token.projectId()), managerRole(type));
        }
        if (token.groupId() != null) {
            return permissions.hasRole(actor, ownerService.group(token.groupId()), managerRole(type));
        }
        if (type.holder() == Holder.USER && token.userId() != null) {
            return ownsEnterpriseUser(actor, owners.findUser(token.userId()).orElseThrow());
        }
        return token.userId() != null && actor.isUser(token.userId());
    }

    // issuing

    @Transactional
    public IssuedToken issue(Actor actor, NewToken request) {
        return issue(actor, request, TokenSecrets.generate(request.type()));
    }

    /**
     * Issues a token with a value chosen by the caller (GitLab's {@code set_token}), for tests and automation.
     * Administrators only; the value must be well-formed for the type and not in use.
     */
    @Transactional
    public IssuedToken issueWithValue(Actor actor, NewToken request, String value) {
        if (!actor.admin()) {
            throw PatrolException.forbidden("Only administrators can create a token with a chosen value.");
        }
        if (request.type() == null) {
            throw PatrolException.badInput("A token type is required.");
        }
        Optional<String> prefix = TokenSecrets.wellFormedPrefix(value);
        if (prefix.isEmpty() || !prefix.get().equals(request.type().prefix())) {
            throw PatrolException.badInput("The chosen value is not a well-formed " + request.type().label()
                    + " (prefix " + request.type().prefix() + ", " + TokenSecrets.RANDOM_LENGTH
                    + " letters or digits, checksum).");
        }
        if (tokens.digestExists(TokenSecrets.digest(value))) {
            throw PatrolException.conflict("The chosen value is already in use.");
        }
        return issue(actor, request, value);
    }

    private IssuedToken issue(Actor actor, NewToken request, String secret) {
        if (request.type() == null) {
            throw PatrolException.badInput("A token type is required.");
        }
        TokenType type = request.type();
        InstanceSettings policy = settings.current();
        if (type == TokenType.IMPERSONATION && !policy.impersonationEnabled()) {
            throw PatrolException.forbidden("Impersonation tokens are disabled on this instance.");
        }
        Holding holding = resolveHolder(actor, request);
        String name = validName(request.name(), type);
        String description = validDescription(request.description());
        List<Scope> scopes = validScopes(type, request.scopes(), holding.owner());
        LocalDate expiresAt = validExpiry(type, request.expiresAt(), policy, TokenType.DEFAULT_LIFETIME_DAYS);
        Integer accessLevel = validAccessLevel(actor, type, request.accessLevel(), holding);
        String username = validDeployUsername(type, request.username());

        LocalDateTime now = LocalDateTime.now(clock);
        Long userId = holding.userId();
        if (type.holder() == Holder.PROJECT_BOT || type.holder() == Holder.GROUP_BOT) {
            SourceType source = type.holder() == Holder.PROJECT_BOT ? SourceType.PROJECT : SourceType.GROUP;
            long sourceId = source == SourceType.PROJECT ? holding.projectId() : holding.groupId();
            userId = ownerService.createBot(actor, source, sourceId, AccessLevel.of(accessLevel), holding.rootGroupId())
                    .id();
        }
        List<Long> replaced = type.onePerHolder()
                ? tokens.unrevokedForHolder(type, userId, holding.projectId(), holding.groupId(), holding.resourceId())
                : List.of();
        tokens.revokeAll(replaced, now, "reset");
        publishRevoked(replaced);

        AccessToken draft = new AccessToken(0, type, name, description, userId, holding.projectId(), holding.groupId(),
                holding.resourceId(), holding.rootGroupId(), accessLevel, username,
                TokenSecrets.displayPrefix(secret, type.prefix()), now, actor.userId(), expiresAt, null, null, null,
                null, null, scopes);
        long id = tokens.insert(draft, TokenSecrets.digest(secret));
        if (type == TokenType.DEPLOY && username == null) {
            tokens.setUsername(id, "gitlab+deploy-token-" + id);
        }
        AccessToken token = token(id);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", type.name().toLowerCase());
        if (!scopes.isEmpty()) {
            details.put("scopes", scopes.stream().map(Scope::id).toList());
        }
        details.put("expires_at", expiresAt);
        if (accessLevel != null) {
            details.put("access_level", accessLevel);
        }
        if (!replaced.isEmpty()) {
            details.put("replaces", replaced);
        }
        audit.record(actor, "token_created", target(token), details);
        return new IssuedToken(token, secret);
    }

    // revoking

    /** Revokes a token. Revoking one that already is changes nothing and says so. */
    @Transactional
    public RevokeResult revoke(Actor actor, long id) {
        AccessToken token = token(id);
        requireManage(actor, token);
        return revokeManaged(actor, token, "revoked");
    }

    /**
     * Revokes the token a caller authenticated with: any token may revoke itself, whatever its scopes.
     */
    @Transactional
    public RevokeResult revokeSelf(Actor actor, long selfId) {
        return revokeManaged(actor, token(selfId), "revoked");
    }

    private RevokeResult revokeManaged(Actor actor, AccessToken token, String reason) {
        if (!tokens.revokeIfActive(token.id(), LocalDateTime.now(clock), reason)) {
            return new RevokeResult(token, false, "This " + token.type().label() + " is already revoked.");
        }
        publishRevoked(List.of(token.id()));
        audit.record(actor, "token_revoked", target(token), Map.of());
        return new RevokeResult(token(token.id()), true, null);
    }

    /**
     * Marks a CI job finished and revokes its job tokens in one statement: a job token is valid only while its
     * job runs.
     */
    @Transactional
    public int finishCiJob(Actor actor, long jobId) {
        Resource job = ownerService.resource(jobId);
        if (job.kind() != ResourceKind.CI_JOB) {
            throw PatrolException.badInput("Resource " + jobId + " is not a CI job.");
        }
        if (!actor.admin() && !(job.userId() != null && actor.isUser(job.userId()))) {
            throw PatrolException.forbidden("Only the job's user or an administrator can finish it.");
        }
        owners.updateResourceState(jobId, "FINISHED");
        List<Long> jobTokens = tokens.unrevokedForHolder(TokenType.CI_JOB, job.userId(), job.projectId(),
                job.groupId(), jobId);
        int revoked = tokens.revokeAll(jobTokens, LocalDateTime.now(clock), "job_finished");
        publishRevoked(jobTokens);
        audit.record(actor, "ci_job_finished", new AuditTarget("CiJob", jobId, job.name(), null),
                Map.of("tokens_revoked", revoked));
        return revoked;
    }

    // rotating

    /**
     * Rotates (or resets) a token: revokes it and issues a successor with the same name, description, scopes and
     * role, linked into the same family. Rotating a token that is already revoked is treated as reuse of a leaked
     * token: every active token of its family is revoked, then {@link TokenReuseDetectedException} is thrown with
     * that change committed. Of two concurrent rotations of one token exactly one succeeds.
     *
     * @param expiresAt the successor's expiry; by default one week when expiry is required
     */
    @Transactional(noRollbackFor = TokenReuseDetectedException.class)
    public IssuedToken rotate(Actor actor, long id, LocalDate expiresAt) {
        AccessToken old = token(id);
        requireManage(actor, old);
        return rotateManaged(actor, old, expiresAt);
    }

    /** Rotates the calling token itself (the {@code self_rotate} scope's one permission). */
    @Transactional(noRollbackFor = TokenReuseDetectedException.class)
    public IssuedToken rotateSelf(Actor actor, long selfId, LocalDate expiresAt) {
        return rotateManaged(actor, token(selfId), expiresAt);
    }

    private IssuedToken rotateManaged(Actor actor, AccessToken old, LocalDate expiresAt) {
        TokenType type = old.type();
        if (!type.renewable()) {
            throw PatrolException.badInput("A " + type.label() + " cannot be rotated; revoke it and create a new one.");
        }
        LocalDateTime now = LocalDateTime.now(clock);
        if (old.isRevoked() && renewedMomentsAgo(old, now)) {
            throw PatrolException.conflict("This " + type.label() + " was just " + type.renewal().verb()
                    + (type.renewal() == Renewal.RESET ? "" : "d") + " by a concurrent request; use the token that "
                    + "request returned.");
        }
        if (old.isRevoked()) {
            throw new TokenReuseDetectedException(old, revokeFamily(actor, old, now));
        }
        if (old.isExpired(today())) {
            throw PatrolException.badInput("This " + type.label() + " has expired and cannot be "
                    + type.renewal().verb() + "d; create a new one.");
        }
        InstanceSettings policy = settings.current();
        LocalDate newExpiry = type.renewal() == Renewal.RESET && expiresAt == null
                ? (type.expires() ? old.expiresAt() : null)
                : validExpiry(type, expiresAt, policy, TokenType.ROTATION_LIFETIME_DAYS);
        if (!tokens.revokeIfActive(old.id(), now, type.renewal() == Renewal.RESET ? "reset" : "rotated")) {
            throw PatrolException.conflict("This " + type.label() + " was rotated or revoked by a concurrent request; "
                    + "use the token that request returned.");
        }
        publishRevoked(List.of(old.id()));
        String secret = TokenSecrets.generate(type);
        AccessToken draft = new AccessToken(0, type, old.name(), old.description(), old.userId(), old.projectId(),
                old.groupId(), old.resourceId(), old.rootGroupId(), old.accessLevel(), old.username(),
                TokenSecrets.displayPrefix(secret, type.prefix()), now, actor.userId(), newExpiry, null, null, null,
                old.id(), old.familyRootId(), old.scopes());
        long newId;
        try {
            newId = tokens.insert(draft, TokenSecrets.digest(secret));
        } catch (DuplicateKeyException e) {
            throw PatrolException.conflict("This " + type.label() + " was already rotated by a concurrent request.");
        }
        AccessToken successor = token(newId);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("new_token_id", newId);
        details.put("expires_at", newExpiry);
        audit.record(actor, "token_" + type.renewal().verb() + (type.renewal() == Renewal.RESET ? "" : "d"),
                target(old), details);
        return new IssuedToken(successor, secret);
    }

    /**
     * GitLab's second reuse path: a revoked value was presented on a rotate request (whatever it asked to rotate).
     * Unless it is the loser of a race within {@link #CONCURRENT_RENEWAL_WINDOW}, every active token of its family
     * is revoked, audited as done by the family's owner from the presenting address. Doors only recognise the
     * request; this decides, so every door applies the same rule.
     *
     * @return how many tokens were revoked
     */
    @Transactional
    public int revokedValuePresentedForRotation(AccessToken presented, String ip) {
        AccessToken token = token(presented.id());
        LocalDateTime now = LocalDateTime.now(clock);
        if (!token.isRevoked() || !token.type().renewable() || renewedMomentsAgo(token, now)) {
            return 0;
        }
        User owner = token.userId() == null ? null : owners.findUser(token.userId()).orElse(null);
        Actor familyOwner = owner == null
                ? new Actor(null, "system", false, Source.API, ip)
                : new Actor(owner.id(), owner.username(), owner.admin(), Source.API, ip);
        return revokeFamily(familyOwner, token, now);
    }

    private int revokeFamily(Actor actor, AccessToken reused, LocalDateTime now) {
        List<Long> family = tokens.unrevokedInFamily(reused.familyRootId());
        int revoked = tokens.revokeAll(family, now, "reuse_detected");
        publishRevoked(family);
        audit.record(actor, "token_reuse_detected", target(reused), Map.of("family_revoked", family, "count", revoked));
        return revoked;
    }

    /**
     * Whether the token was rotated or reset within {@link #CONCURRENT_RENEWAL_WINDOW}: a second rotation arriving
     * then is the loser of a race between two requests holding the same token, not reuse of a leaked one, and
     * must not revoke the winner's new token. It gets a conflict and no token either way.
     */
    private static boolean renewedMomentsAgo(AccessToken token, LocalDateTime now) {
        return ("rotated".equals(token.revokeReason()) || "reset".equals(token.revokeReason()))
                && !token.revokedAt().isBefore(now.minus(CONCURRENT_RENEWAL_WINDOW));
    }

    // extending

    @Transactional
    public AccessToken extendExpiry(Actor actor, long id, LocalDate newDate) {
        AccessToken token = token(id);
        requireManage(actor, token);
        if (!token.type().expires()) {
            throw PatrolException.badInput("A " + token.type().label() + " never expires.");
        }
        if (token.isRevoked()) {
            throw PatrolException.badInput("This " + token.type().label() + " is revoked; its expiry cannot change.");
        }
        if (newDate == null) {
            throw PatrolException.badInput("A new expiry date is required.");
        }
        validExpiry(token.type(), newDate, settings.current(), TokenType.DEFAULT_LIFETIME_DAYS);
        tokens.updateExpiry(id, newDate);
        audit.record(actor, "token_expiry_changed", target(token),
                Map.of("from", String.valueOf(token.expiresAt()), "to", newDate));
        return token(id);
    }

    /**
     * Moves the expiry of every unrevoked personal, project and group access token expiring on {@code date} to
     * {@code newDate} (impersonation tokens excluded, as in GitLab's script), with one set-based statement per
     * id range and one audit event. Administrators only.
     *
     * @return how many tokens changed
     */
    @Transactional
    public int extendExpiringOn(Actor actor, LocalDate date, LocalDate newDate) {
        if (!actor.admin()) {
            throw PatrolException.forbidden("Only administrators can extend tokens in bulk.");
        }
        if (date == null || newDate == null) {
            throw PatrolException.badInput("Both the current and the new expiry date are required.");
        }
        if (!newDate.isAfter(today())) {
            throw PatrolException.badInput("The new expiry date must be after today (" + today() + ").");
        }
        Set<TokenType> types = EnumSet.of(TokenType.PERSONAL, TokenType.PROJECT, TokenType.GROUP);
        Optional<long[]> range = tokens.idRangeExpiringOn(date, types);
        int updated = 0;
        if (range.isPresent()) {
            for (long from = range.get()[0]; from <= range.get()[1]; from += EXTEND_CHUNK_IDS) {
                updated += tokens.extendChunk(date, types, newDate, from, from + EXTEND_CHUNK_IDS - 1);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("expires_at", date);
        details.put("new_expires_at", newDate);
        details.put("count", updated);
        audit.record(actor, "tokens_bulk_extended", new AuditTarget("AccessToken", null, "expiring " + date, null),
                details);
        return updated;
    }

    // authenticating

    /**
     * Checks a presented value: malformed values and bad checksums are refused without a database read; then one
     * statement loads the token, its scopes and its user, and their states decide. No transaction: it would cost three
     * more round trips to the database (autocommit off, commit, autocommit on) around a single SELECT.
     */
    public Authentication authenticate(String value) {
        if (!TokenSecrets.isWellFormed(value)) {
            return Authentication.refused(AuthFailure.MALFORMED);
        }
        Optional<TokenRepository.TokenAndUser> found = tokens.findForAuthentication(TokenSecrets.digest(value));
        if (found.isEmpty()) {
            return Authentication.refused(AuthFailure.UNKNOWN);
        }
        AccessToken token = found.get().token();
        User user = found.get().user();
        return new Authentication(token, user, check(token, user));
    }

    /**
     * Why an already loaded token may not be used now, or null when it may. The instance settings are read only for
     * impersonation tokens, which keeps them off the authentication path of every other token.
     */
    private AuthFailure check(AccessToken token, User user) {
        if (token.isRevoked()) {
            return AuthFailure.REVOKED;
        }
        if (token.isExpired(today())) {
            return AuthFailure.EXPIRED;
        }
        if (user != null && user.isBlocked()) {
            return AuthFailure.USER_BLOCKED;
        }
        if (token.type() == TokenType.IMPERSONATION && !settings.current().impersonationEnabled()) {
            return AuthFailure.IMPERSONATION_DISABLED;
        }
        return null;
    }

    /** Tells caches (the API's authentication cache) about revoked tokens once the transaction commits. */
    private void publishRevoked(List<Long> revokedIds) {
        if (!revokedIds.isEmpty()) {
            events.publishEvent(TokensRevoked.of(revokedIds));
        }
    }

    // rules

    private record Holding(User owner, Long userId, Long projectId, Long groupId, Long resourceId, Long rootGroupId,
            AccessLevel actorRole) {
    }

    private Holding resolveHolder(Actor actor, NewToken r) {
        TokenType type = r.type();
        return switch (type.holder()) {
            case USER -> {
                onlyFields(type, r, r.userId() != null, false, false, false);
                long userId = r.userId() != null ? r.userId() : requireUserActor(actor);
                User owner = ownerService.user(userId);
                if (owner.kind().isBot()) {
                    throw PatrolException.badInput("Bot users get tokens only through their project or group.");
                }
                if (owner.isBlocked()) {
                    throw PatrolException.badInput("User '" + owner.username() + "' is blocked.");
                }
                boolean allowed = type == TokenType.IMPERSONATION
                        ? actor.admin()
                        : actor.admin() || actor.isUser(userId) || ownsServiceAccount(actor, owner);
                if (!allowed) {
                    throw PatrolException.forbidden(type == TokenType.IMPERSONATION
                            ? "Only administrators can create impersonation tokens."
                            : "You can only create " + type.label() + "s for yourself.");
                }
                yield new Holding(owner, userId, null, null, null, owner.enterpriseGroupId(), null);
            }
            case PROJECT_BOT, PROJECT -> {
                onlyFields(type, r, false, true, false, false);
                Project project = ownerService.project(require(r.projectId(), "projectId", type));
                AccessLevel role = requireRole(actor, project, managerRole(type));
                yield new Holding(null, null, project.id(), null, null, project.rootId(), role);
            }
            case GROUP_BOT, TOP_LEVEL_GROUP -> {
                onlyFields(type, r, false, false, true, false);
                Group group = ownerService.group(require(r.groupId(), "groupId", type));
                if (type.holder() == Holder.TOP_LEVEL_GROUP && !group.isTopLevel()) {
                    throw PatrolException.badInput("A " + type.label() + " belongs to a top-level group.");
                }
                AccessLevel role = requireRole(actor, group, AccessLevel.OWNER);
                yield new Holding(null, null, null, group.id(), null, group.rootId(), role);
            }
            case PROJECT_OR_GROUP -> {
                onlyFields(type, r, false, true, true, false);
                if ((r.projectId() == null) == (r.groupId() == null)) {
                    throw PatrolException.badInput("A " + type.label() + " belongs to either a project or a group.");
                }
                if (r.projectId() != null) {
                    Project project = ownerService.project(r.projectId());
                    requireRole(actor, project, managerRole(type));
                    yield new Holding(null, null, project.id(), null, null, project.rootId(), null);
                }
                Group group = ownerService.group(r.groupId());
                requireRole(actor, group, managerRole(type));
                yield new Holding(null, null, null, group.id(), null, group.rootId(), null);
            }
            case RESOURCE -> {
                onlyFields(type, r, false, false, false, true);
                Resource resource = ownerService.resource(require(r.resourceId(), "resourceId", type));
                if (resource.kind() != type.resourceKind()) {
                    throw PatrolException.badInput("Resource " + resource.id() + " is a "
                            + resource.kind().label() + ", not a "
                            + type.resourceKind().label() + ".");
                }
                if (type == TokenType.CI_JOB && !"RUNNING".equals(resource.state())) {
                    throw PatrolException.badInput("CI job " + resource.id() + " is not running.");
                }
                Long rootGroupId = null;
                if (resource.projectId() != null) {
                    Project project = ownerService.project(resource.projectId());
                    requireRole(actor, project, managerRole(type));
                    rootGroupId = project.rootId();
                } else if (resource.groupId() != null) {
                    Group group = ownerService.group(resource.groupId());
                    requireRole(actor, group, managerRole(type));
                    rootGroupId = group.rootId();
                } else if (!actor.admin() && !(resource.userId() != null && actor.isUser(resource.userId()))) {
                    throw PatrolException.forbidden("You cannot manage the tokens of this "
                            + resource.kind().label() + ".");
                }
                yield new Holding(null, resource.userId(), resource.projectId(), resource.groupId(), resource.id(),
                        rootGroupId, null);
            }
        };
    }

    private static void onlyFields(TokenType type, NewToken r, boolean user, boolean project, boolean group,
            boolean resource) {
        List<String> extra = new ArrayList<>();
        if (!user && r.userId() != null) {
            extra.add("userId");
        }
        if (!project && r.projectId() != null) {
            extra.add("projectId");
        }
        if (!group && r.groupId() != null) {
            extra.add("groupId");
        }
        if (!resource && r.resourceId() != null) {
            extra.add("resourceId");
        }
        if (!extra.isEmpty()) {
            throw PatrolException.badInput("A " + type.label() + " does not take " + String.join(", ", extra) + ".");
        }
    }

    private static long require(Long value, String field, TokenType type) {
        if (value == null) {
            throw PatrolException.badInput("A " + type.label() + " needs " + field + ".");
        }
        return value;
    }

    private static long requireUserActor(Actor actor) {
        if (actor.userId() == null) {
            throw PatrolException.badInput("A user is required.");
        }
        return actor.userId();
    }

    private AccessLevel requireRole(Actor actor, Project project, AccessLevel required) {
        AccessLevel role = permissions.roleOf(actor, project).orElse(null);
        if (role == null || !role.atLeast(required)) {
            throw PatrolException.forbidden("You need at least the " + required.label() + " role on '"
                    + project.fullPath() + "'.");
        }
        return role;
    }

    private AccessLevel requireRole(Actor actor, Group group, AccessLevel required) {
        AccessLevel role = permissions.roleOf(actor, group).orElse(null);
        if (role == null || !role.atLeast(required)) {
            throw PatrolException.forbidden("You need at least the " + required.label() + " role on '"
                    + group.fullPath() + "'.");
        }
        return role;
    }

    private void requireManage(Actor actor, AccessToken token) {
        if (!canManage(actor, token)) {
            throw PatrolException.forbidden("You cannot manage this " + token.type().label() + ".");
        }
    }

    private boolean ownsServiceAccount(Actor actor, User owner) {
        return owner.kind() == UserKind.SERVICE_ACCOUNT && owner.enterpriseGroupId() != null
                && permissions.hasRole(actor, ownerService.group(owner.enterpriseGroupId()), AccessLevel.OWNER);
    }

    /** Owners of a top-level group manage its enterprise users' and service accounts' tokens (the inventory). */
    private boolean ownsEnterpriseUser(Actor actor, User owner) {
        return owner.enterpriseGroupId() != null && !owner.kind().isBot()
                && permissions.hasRole(actor, ownerService.group(owner.enterpriseGroupId()), AccessLevel.OWNER);
    }

    private static AccessLevel managerRole(TokenType type) {
        return type.managerRole() != null ? type.managerRole() : AccessLevel.MAINTAINER;
    }

    private static String validName(String name, TokenType type) {
        if (name == null || name.isBlank()) {
            if (type.onePerHolder()) {
                String label = type.label();
                return Character.toUpperCase(label.charAt(0)) + label.substring(1);
            }
            throw PatrolException.badInput("Name can't be blank.");
        }
        if (name.strip().length() > 255) {
            throw PatrolException.badInput("Name is too long (at most 255 characters).");
        }
        return name.strip();
    }

    private static String validDescription(String description) {
        if (description == null || description.isBlank()) {
            return null;
        }
        if (description.length() > 1000) {
            throw PatrolException.badInput("Description is too long (at most 1000 characters).");
        }
        return description.strip();
    }

    private static List<Scope> validScopes(TokenType type, List<String> requested, User owner) {
        List<String> names = requested == null ? List.of() : requested;
        if (!type.hasScopes()) {
            if (!names.isEmpty()) {
                throw PatrolException.badInput("A " + type.label() + " has no selectable scopes.");
            }
            return List.of();
        }
        if (names.isEmpty()) {
            throw PatrolException.badInput("Scopes can't be blank: choose at least one of "
                    + type.allowedScopesOrdered().stream().map(Scope::id).toList() + ".");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            Scope scope = Scope.fromId(name == null ? "" : name.strip().toLowerCase())
                    .orElseThrow(() -> PatrolException.badInput("Unknown scope '" + name + "'."));
            if (!type.allowedScopes().contains(scope)) {
                throw PatrolException.badInput("Scope '" + scope.id() + "' is not allowed for a " + type.label()
                        + "; allowed: " + type.allowedScopesOrdered().stream().map(Scope::id).toList() + ".");
            }
            if (scope.needsAdminOwner() && (owner == null || !owner.admin())) {
                throw PatrolException.badInput("Scope '" + scope.id() + "' needs an administrator as the token's user.");
            }
            scopes.add(scope);
        }
        return List.copyOf(scopes);
    }

    /**
     * The expiry a new token gets: the requested date if it is after today and within the maximum lifetime;
     * none for types that never expire; else a default of {@code defaultDays} (capped by the maximum) when the
     * instance requires expiry.
     */
    private LocalDate validExpiry(TokenType type, LocalDate requested, InstanceSettings policy, int defaultDays) {
        LocalDate today = today();
        if (type.expiry() == ExpiryRule.NEVER) {
            if (requested != null) {
                throw PatrolException.badInput("A " + type.label() + " never expires; leave the expiry date empty.");
            }
            return null;
        }
        if (requested == null) {
            if (type.expiry() == ExpiryRule.POLICY && policy.requireExpiration()) {
                return today.plusDays(Math.min(defaultDays, policy.maxLifetimeDays()));
            }
            return null;
        }
        if (!requested.isAfter(today)) {
            throw PatrolException.badInput("Expiration date must be after today (" + today + ").");
        }
        if (type.expiry() == ExpiryRule.POLICY && requested.isAfter(today.plusDays(policy.maxLifetimeDays()))) {
            throw PatrolException.badInput("Expiration date must be no more than " + policy.maxLifetimeDays()
                    + " days from today (" + today.plusDays(policy.maxLifetimeDays()) + ").");
        }
        return requested;
    }

    private static Integer validAccessLevel(Actor actor, TokenType type, Integer requested, Holding holding) {
        if (!type.hasRole()) {
            if (requested != null) {
                throw PatrolException.badInput("A " + type.label() + " has no role.");
            }
            return null;
        }
        AccessLevel level = requested == null ? AccessLevel.MAINTAINER : AccessLevel.of(requested);
        if (!actor.admin() && !holding.actorRole().atLeast(level)) {
            throw PatrolException.forbidden("You cannot create a token with a role above your own ("
                    + holding.actorRole().label() + ").");
        }
        return level.value();
    }

    private static String validDeployUsername(TokenType type, String username) {
        if (username == null || username.isBlank()) {
            return null;
        }
        if (type != TokenType.DEPLOY) {
            throw PatrolException.badInput("Only deploy tokens have a username.");
        }
        if (!username.matches("[A-Za-z0-9_.+\\-]{1,255}")) {
            throw PatrolException.badInput("A deploy token username is 1 to 255 letters, digits, '_', '.', '+' or '-'.");
        }
        return username;
    }


    public static AuditTarget target(AccessToken token) {
        return new AuditTarget(token.type().modelName(), token.id(), token.name(), token.rootGroupId());
    }

    // set-based, for other modules' bulk work

    /**
     * Revokes those of the tokens still active in one statement and returns how many; the caller decided who
     * may, audits each token and publishes {@link TokensRevoked}.
     */
    @Transactional
    public int revokeActive(Collection<Long> ids, LocalDateTime now) {
        return tokens.revokeAll(ids, now, "revoked");
    }
}
