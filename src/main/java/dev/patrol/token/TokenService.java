package dev.patrol.token;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
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
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Resource;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.SourceType;
import dev.patrol.owner.User;
import dev.patrol.settings.InstanceSettings;
import dev.patrol.settings.SettingsService;
import dev.patrol.shared.Actor;
import dev.patrol.shared.PatrolException;
import dev.patrol.shared.Source;

/**
 * The token lifecycle: issue, authenticate, revoke, rotate (with reuse detection) and extend. Who may act on a
 * token is {@link TokenAccessPolicy}'s to say, who may hold a new one {@link TokenHolders}'; every change is
 * checked here, so the API and the console behave alike, and writes an audit event in the same transaction.
 */
@Service
public class TokenService {

    /** How long after a rotation another rotation of the same token counts as concurrent rather than reuse. */
    static final java.time.Duration CONCURRENT_RENEWAL_WINDOW = java.time.Duration.ofSeconds(5);

    /** The revoke reason of a CI job token whose job finished. */
    static final String JOB_FINISHED = "job_finished";

    private final TokenRepository tokens;
    private final OwnerRepository owners;
    private final OwnerService ownerService;
    private final TokenAccessPolicy policy;
    private final TokenHolders holders;
    private final SettingsService settings;
    private final AuditService audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final TokenMetrics metrics;

    TokenService(TokenRepository tokens, OwnerRepository owners, OwnerService ownerService, TokenAccessPolicy policy,
            TokenHolders holders, SettingsService settings, AuditService audit, Clock clock,
            ApplicationEventPublisher events, TokenMetrics metrics) {
        this.tokens = tokens;
        this.owners = owners;
        this.ownerService = ownerService;
        this.policy = policy;
        this.holders = holders;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
        this.metrics = metrics;
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
        if (type.impersonation() && !policy.impersonationEnabled()) {
            throw PatrolException.forbidden("Impersonation tokens are disabled on this instance.");
        }
        TokenHolders.Holding holding = holders.resolve(actor, request);
        String name = TokenFields.validName(request.name(), type);
        String description = TokenFields.validDescription(request.description());
        List<Scope> scopes = TokenFields.validScopes(type, request.scopes(), holding.owner());
        LocalDate expiresAt = TokenFields.validExpiry(type, request.expiresAt(), policy, TokenType.DEFAULT_LIFETIME_DAYS,
                today());
        Integer accessLevel = TokenHolders.validAccessLevel(actor, type, request.accessLevel(), holding);
        String username = TokenFields.validDeployUsername(type, request.username());

        LocalDateTime now = storedNow();
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
        metrics.revoked(type, "reset", tokens.revokeAll(replaced, now, "reset"));
        publishRevoked(replaced);

        AccessToken draft = new AccessToken(0, type, name, description, userId, holding.projectId(), holding.groupId(),
                holding.resourceId(), holding.rootGroupId(), accessLevel, username,
                TokenSecrets.displayPrefix(secret, type.prefix()), now, actor.userId(), expiresAt, null, null, null,
                null, null, scopes);
        long id = tokens.insert(draft, TokenSecrets.digest(secret));
        String storedUsername = username;
        if (type.hasUsername() && username == null) {
            storedUsername = "gitlab+deploy-token-" + id;
            tokens.setUsername(id, storedUsername);
        }
        AccessToken token = draft.stored(id, storedUsername);
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
        metrics.issued(type);
        return new IssuedToken(token, secret);
    }

    /**
     * Now, as the database stores it (TIMESTAMP(6): microseconds): a token answered from what was just written, not
     * read back, then shows the same instants as when it is read later.
     */
    private LocalDateTime storedNow() {
        return LocalDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    // revoking

    /** Revokes a token. Revoking one that already is changes nothing and says so. */
    @Transactional
    public RevokeResult revoke(Actor actor, long id) {
        AccessToken token = token(id);
        policy.requireManage(actor, token);
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
        LocalDateTime now = storedNow();
        if (!tokens.revokeIfActive(token.id(), now, reason)) {
            return new RevokeResult(token, false, "This " + token.type().label() + " is already revoked.");
        }
        publishRevoked(List.of(token.id()));
        audit.record(actor, "token_revoked", target(token), Map.of());
        metrics.revoked(token.type(), reason, 1);
        return new RevokeResult(token.revoked(now, reason), true, null);
    }

    /** A CI job that just started, with its job token (the value shown this once). */
    public record StartedCiJob(Resource job, IssuedToken token) {
    }

    /**
     * Starts a CI job of a project, run as the actor (whose blocking stops its token), and issues its job token,
     * which is valid only while the job runs. Needs the role that creates a project's resources (Maintainer).
     */
    @Transactional
    public StartedCiJob startCiJob(Actor actor, long projectId, String name) {
        Resource job = ownerService.createResource(actor, ResourceKind.CI_JOB, name, projectId, null, actor.userId());
        IssuedToken token = issue(actor, new NewToken(TokenType.CI_JOB, name, null, null, null, null, null, null,
                job.id(), null, null));
        return new StartedCiJob(job, token);
    }

    /**
     * Marks a CI job finished and revokes its job tokens in one statement: a job token is valid only while its
     * job runs. Finishing a finished job is refused and changes nothing.
     */
    @Transactional
    public int finishCiJob(Actor actor, long jobId) {
        Resource job = ownerService.resource(jobId);
        if (job.kind() != ResourceKind.CI_JOB) {
            throw PatrolException.badInput("Resource " + jobId + " is not a CI job.");
        }
        if (!Resource.RUNNING.equals(job.state())) {
            throw PatrolException.badInput("CI job " + jobId + " has already finished.");
        }
        if (!actor.admin() && !(job.userId() != null && actor.isUser(job.userId()))) {
            throw PatrolException.forbidden("Only the job's user or an administrator can finish it.");
        }
        owners.updateResourceState(jobId, Resource.FINISHED);
        List<Long> jobTokens = tokens.unrevokedForHolder(TokenType.CI_JOB, job.userId(), job.projectId(),
                job.groupId(), jobId);
        int revoked = tokens.revokeAll(jobTokens, LocalDateTime.now(clock), JOB_FINISHED);
        publishRevoked(jobTokens);
        metrics.revoked(TokenType.CI_JOB, "job_finished", revoked);
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
        TokenRepository.TokenAndSettings found = tokenWithSettings(id);
        policy.requireManage(actor, found.token());
        return rotateManaged(actor, found, expiresAt);
    }

    /** Rotates the calling token itself (the {@code self_rotate} scope's one permission). */
    @Transactional(noRollbackFor = TokenReuseDetectedException.class)
    public IssuedToken rotateSelf(Actor actor, long selfId, LocalDate expiresAt) {
        return rotateManaged(actor, tokenWithSettings(selfId), expiresAt);
    }

    /** The token and the settings that rule its renewal, read together: one round trip, the same snapshot. */
    private TokenRepository.TokenAndSettings tokenWithSettings(long id) {
        return tokens.findWithSettings(id)
                .orElseThrow(() -> PatrolException.notFound("Token " + id + " does not exist."));
    }

    private IssuedToken rotateManaged(Actor actor, TokenRepository.TokenAndSettings found, LocalDate expiresAt) {
        AccessToken old = found.token();
        TokenType type = old.type();
        if (!type.renewable()) {
            throw PatrolException.badInput("A " + type.label() + " cannot be rotated; revoke it and create a new one.");
        }
        LocalDateTime now = storedNow();
        if (old.isRevoked() && renewedMomentsAgo(old, now)) {
            throw PatrolException.conflict("This " + type.label() + " was just " + type.renewal().verb()
                    + (type.renewal() == Renewal.RESET ? "" : "d") + " by a concurrent request; use the token that "
                    + "request returned.");
        }
        if (old.isRevoked()) {
            throw new TokenReuseDetectedException(old, revokeFamily(actor, old, now, "rotate_revoked"));
        }
        if (old.isExpired(today())) {
            throw PatrolException.badInput("This " + type.label() + " has expired and cannot be "
                    + type.renewal().verb() + "d; create a new one.");
        }
        LocalDate newExpiry = type.renewal() == Renewal.RESET && expiresAt == null
                ? (type.expires() ? old.expiresAt() : null)
                : TokenFields.validExpiry(type, expiresAt, found.settings(), TokenType.ROTATION_LIFETIME_DAYS, today());
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
        AccessToken successor = draft.stored(newId, draft.username());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("new_token_id", newId);
        details.put("expires_at", newExpiry);
        audit.record(actor, "token_" + type.renewal().verb() + (type.renewal() == Renewal.RESET ? "" : "d"),
                target(old), details);
        metrics.renewed(type);
        metrics.revoked(type, type.renewal() == Renewal.RESET ? "reset" : "rotated", 1);
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
        return revokeFamily(familyOwner, token, now, "revoked_value_presented");
    }

    private int revokeFamily(Actor actor, AccessToken reused, LocalDateTime now, String detectedBy) {
        List<Long> family = tokens.unrevokedInFamily(reused.familyRootId());
        int revoked = tokens.revokeAll(family, now, "reuse_detected");
        publishRevoked(family);
        metrics.reuseDetected(reused.type(), detectedBy);
        metrics.revoked(reused.type(), "reuse_detected", revoked);
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
        TokenRepository.TokenAndSettings found = tokenWithSettings(id);
        AccessToken token = found.token();
        policy.requireManage(actor, token);
        if (!token.type().expires()) {
            throw PatrolException.badInput("A " + token.type().label() + " never expires.");
        }
        if (token.isRevoked()) {
            throw PatrolException.badInput("This " + token.type().label() + " is revoked; its expiry cannot change.");
        }
        if (newDate == null) {
            throw PatrolException.badInput("A new expiry date is required.");
        }
        TokenFields.validExpiry(token.type(), newDate, found.settings(), TokenType.DEFAULT_LIFETIME_DAYS, today());
        tokens.updateExpiry(id, newDate);
        audit.record(actor, "token_expiry_changed", target(token),
                Map.of("from", String.valueOf(token.expiresAt()), "to", newDate));
        return token.expiringOn(newDate);
    }

    /**
     * Moves the expiry of every unrevoked personal, project and group access token expiring on {@code date} to
     * {@code newDate} (impersonation tokens excluded, as in GitLab's script), with one set-based UPDATE and one
     * audit event that counts them. Administrators only. One statement, not one per id range: the expiry index finds
     * exactly the rows to change, where ranges of ids read every token between the first and the last match (five
     * of a million for a hundred thousand), and the transaction holds the same locks either way.
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
        Set<TokenType> types = TokenType.where(TokenType::extendedInBulk);
        int updated = tokens.extendExpiringOn(date, types, newDate);
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
     * Authenticates the token with this id as if its value had been presented: for a credential that stands in for
     * the value (a download ticket), so that a token revoked or a user blocked since then is refused all the same.
     */
    public Authentication authenticateById(long tokenId) {
        Optional<TokenRepository.TokenAndUser> found = tokens.findForAuthenticationById(tokenId);
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
        if (token.type().impersonation() && !settings.current().impersonationEnabled()) {
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

    public static AuditTarget target(AccessToken token) {
        return new AuditTarget(token.type().modelName(), token.id(), token.name(), token.rootGroupId());
    }

    // set-based, for other modules' bulk work

    /**
     * Revokes those of the tokens still active in one statement and returns how many; the caller decided who
     * may and audits each token. Caches hear of it as of every revocation, once the transaction commits.
     */
    @Transactional
    public int revokeActive(Collection<Long> ids, LocalDateTime now) {
        tokens.activeCountsByType(ids).forEach((type, count) -> metrics.revoked(type, "revoked", count));
        int revoked = tokens.revokeAll(ids, now, "revoked");
        publishRevoked(List.copyOf(ids));
        return revoked;
    }
}
