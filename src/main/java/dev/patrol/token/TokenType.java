package dev.patrol.token;

import static dev.patrol.token.Scope.*;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.ResourceKind;

/**
 * The registry of token types: every rule that differs between types lives here, each under its name, so services
 * ask the type ({@code type.expiryMails()}, {@code TokenType.where(TokenType::hasRole)}) instead of listing types.
 */
public enum TokenType {
    PERSONAL(rules("PersonalAccessToken", "glpat-", "personal access token")
            .description("Personal access token: a user's own credential for the API, Git and registries.")
            .heldBy(Holder.USER)
            .scopes(with(patScopes(), INTROSPECT))
            .expiry(ExpiryRule.POLICY).renewal(Renewal.ROTATE).apiAccess()
            .expiryMails().onExpiryCalendar().extendedInBulk().revokedInBulkByGroupOwners()
            .estateShare(52)),
    IMPERSONATION(rules("PersonalAccessToken", "glpat-", "impersonation token")
            .description("Impersonation token: a personal access token an administrator creates for another user.")
            .heldBy(Holder.USER).impersonation()
            .scopes(patScopes())
            .expiry(ExpiryRule.POLICY).renewal(Renewal.ROTATE).apiAccess()
            .estateShare(3)),
    PROJECT(rules("PersonalAccessToken", "glpat-", "project access token")
            .description("Project access token: access to one project through its bot user, with a role.")
            .heldBy(Holder.PROJECT_BOT).managedBy(AccessLevel.MAINTAINER)
            .scopes(resourceTokenScopes(false))
            .expiry(ExpiryRule.POLICY).renewal(Renewal.ROTATE).apiAccess()
            .expiryMails().expiryWebhook(ExpiryWebhook.RESOURCE_ACCESS_TOKEN).extendedInBulk()
            .revokedInBulkByGroupOwners().reportedWhenCreatorLeaves().purgedAfterRetention()
            .estateShare(10)),
    GROUP(rules("PersonalAccessToken", "glpat-", "group access token")
            .description("Group access token: access to one group and its projects through its bot user, with a role.")
            .heldBy(Holder.GROUP_BOT).managedBy(AccessLevel.OWNER)
            .scopes(resourceTokenScopes(true))
            .expiry(ExpiryRule.POLICY).renewal(Renewal.ROTATE).apiAccess()
            .expiryMails().expiryWebhook(ExpiryWebhook.RESOURCE_ACCESS_TOKEN).extendedInBulk()
            .revokedInBulkByGroupOwners().reportedWhenCreatorLeaves().purgedAfterRetention()
            .estateShare(5)),
    DEPLOY(rules("DeployToken", "gldt-", "deploy token")
            .description("Deploy token: clone, push and pull repositories, packages and container images of a project or group; no API access.")
            .heldBy(Holder.PROJECT_OR_GROUP).managedBy(AccessLevel.MAINTAINER).withUsername()
            .scopes(EnumSet.of(READ_REPOSITORY, READ_REGISTRY, WRITE_REGISTRY, READ_PACKAGE_REGISTRY, WRITE_PACKAGE_REGISTRY))
            .expiry(ExpiryRule.OPTIONAL).renewal(Renewal.NONE)
            .expiryWebhook(ExpiryWebhook.DEPLOY_TOKEN).revokedInBulkByGroupOwners().reportedWhenCreatorLeaves()
            .estateShare(8)),
    OAUTH_APPLICATION_SECRET(rules("OauthApplicationSecret", "gloas-", "OAuth application secret")
            .description("OAuth application secret: authenticates a third-party application to Patrol's OAuth provider.")
            .heldByResource(ResourceKind.OAUTH_APPLICATION).managedBy(AccessLevel.MAINTAINER).onePerHolder()
            .expiry(ExpiryRule.NEVER).renewal(Renewal.RESET)),
    RUNNER_AUTHENTICATION(rules("RunnerAuthenticationToken", "glrt-", "runner authentication token")
            .description("Runner authentication token: a runner picks up jobs with it.")
            .heldByResource(ResourceKind.RUNNER).managedBy(AccessLevel.MAINTAINER).onePerHolder()
            .expiry(ExpiryRule.OPTIONAL).renewal(Renewal.RESET)
            .estateShare(4)),
    CI_JOB(rules("CiJobToken", "glcbt-", "CI/CD job token")
            .description("CI/CD job token: valid only while its job runs, for a limited set of endpoints.")
            .heldByResource(ResourceKind.CI_JOB).managedBy(AccessLevel.DEVELOPER).onePerHolder()
            .expiry(ExpiryRule.NEVER).renewal(Renewal.NONE).validOnlyWhileResourceRuns()),
    PIPELINE_TRIGGER(rules("PipelineTriggerToken", "glptt-", "pipeline trigger token")
            .description("Pipeline trigger token: starts pipelines of one project.")
            .heldBy(Holder.PROJECT).managedBy(AccessLevel.MAINTAINER)
            .expiry(ExpiryRule.OPTIONAL).renewal(Renewal.NONE)
            .estateShare(4)),
    FEED(rules("FeedToken", "glft-", "feed token")
            .description("Feed token: reads a user's RSS and calendar feeds; one per user; never expires.")
            .heldBy(Holder.USER).onePerHolder()
            .expiry(ExpiryRule.NEVER).renewal(Renewal.RESET).readsFeeds()
            .estateShare(8)),
    INCOMING_MAIL(rules("IncomingMailToken", "glimt-", "incoming mail token")
            .description("Incoming mail token: creates issues by e-mail as its user; one per user; never expires.")
            .heldBy(Holder.USER).onePerHolder()
            .expiry(ExpiryRule.NEVER).renewal(Renewal.RESET)
            .estateShare(4)),
    CLUSTER_AGENT(rules("ClusterAgentToken", "glagent-", "agent for Kubernetes token")
            .description("Agent for Kubernetes token: authenticates a cluster agent.")
            .heldByResource(ResourceKind.CLUSTER_AGENT).managedBy(AccessLevel.MAINTAINER)
            .expiry(ExpiryRule.NEVER).renewal(Renewal.NONE)
            .estateShare(2)),
    SCIM(rules("ScimToken", "glsoat-", "SCIM token")
            .description("SCIM token: provisions users of a top-level group from an identity provider.")
            .heldBy(Holder.TOP_LEVEL_GROUP).managedBy(AccessLevel.OWNER).onePerHolder()
            .expiry(ExpiryRule.NEVER).renewal(Renewal.RESET)),
    FEATURE_FLAGS_CLIENT(rules("FeatureFlagsClientToken", "glffct-", "feature flags client token")
            .description("Feature flags client token: reads a project's feature flags.")
            .heldBy(Holder.PROJECT).managedBy(AccessLevel.MAINTAINER).onePerHolder()
            .expiry(ExpiryRule.NEVER).renewal(Renewal.RESET)),
    WORKSPACE(rules("WorkspaceToken", "glwt-", "workspace token")
            .description("Workspace token: authenticates a remote development workspace.")
            .heldByResource(ResourceKind.WORKSPACE).managedBy(AccessLevel.DEVELOPER).onePerHolder()
            .expiry(ExpiryRule.NEVER).renewal(Renewal.NONE));

    /** Default lifetime of a policy token when expiry is required and none is given, before the instance maximum. */
    public static final int DEFAULT_LIFETIME_DAYS = 365;
    /** Default lifetime of a rotated token when expiry is required and none is given. */
    public static final int ROTATION_LIFETIME_DAYS = 7;

    private final TokenRules rules;

    TokenType(TokenRules.Builder rules) {
        this.rules = rules.build();
    }

    private static TokenRules.Builder rules(String modelName, String prefix, String label) {
        return new TokenRules.Builder(modelName, prefix, label);
    }

    /** The model name used in global IDs and logs: {@code PersonalAccessToken/12}. */
    public String modelName() {
        return rules.modelName();
    }

    public String prefix() {
        return rules.prefix();
    }

    /** A readable name: "personal access token". */
    public String label() {
        return rules.label();
    }

    public String description() {
        return rules.description();
    }

    public Holder holder() {
        return rules.holder();
    }

    /** The kind of resource this type belongs to, for {@link Holder#RESOURCE} types. */
    public ResourceKind resourceKind() {
        return rules.resourceKind();
    }

    /** Scopes a creator may choose from; empty for types whose reach is fixed by the type itself. */
    public Set<Scope> allowedScopes() {
        return rules.allowedScopes();
    }

    /** Allowed scopes in a stable order, for display. */
    public List<Scope> allowedScopesOrdered() {
        return Arrays.stream(Scope.values()).filter(allowedScopes()::contains).toList();
    }

    public boolean hasScopes() {
        return !allowedScopes().isEmpty();
    }

    public ExpiryRule expiry() {
        return rules.expiry();
    }

    public boolean expires() {
        return expiry() != ExpiryRule.NEVER;
    }

    public Renewal renewal() {
        return rules.renewal();
    }

    public boolean renewable() {
        return renewal() != Renewal.NONE;
    }

    /** Whether the token may call Patrol's GraphQL API at all (its scopes decide what it may do there). */
    public boolean apiAccess() {
        return rules.apiAccess();
    }

    /** Whether a holder has at most one active token of this type: issuing a new one resets the old. */
    public boolean onePerHolder() {
        return rules.onePerHolder();
    }

    /** The role on the project or group needed to manage tokens of this type; null for user-held types. */
    public AccessLevel managerRole() {
        return rules.managerRole();
    }

    /** Whether tokens of this type carry a role (project and group access tokens). */
    public boolean hasRole() {
        return holder() == Holder.PROJECT_BOT || holder() == Holder.GROUP_BOT;
    }

    // who creates, sees and uses it

    /**
     * An administrator's token that acts as another user: only administrators create, see and manage it, and the
     * instance's impersonation setting can switch it off.
     */
    public boolean impersonation() {
        return rules.impersonation();
    }

    /** Whether its user creates and manages it: user-held, except impersonation, which stays with administrators. */
    public boolean managedByItsUser() {
        return holder() == Holder.USER && !impersonation();
    }

    /**
     * Whether a successful authentication may be cached. Not for types an instance setting can disable
     * (impersonation): switching the setting off must refuse the very next request.
     */
    public boolean cachedForAuthentication() {
        return !impersonation();
    }

    /** One of a user's own personal access tokens (GitLab keeps the bots' project and group tokens in the same model). */
    public boolean usersPersonalAccessToken() {
        return modelName().equals(PERSONAL.modelName()) && holder() == Holder.USER;
    }

    /** Deploy tokens carry a username for Git and registry logins, {@code gitlab+deploy-token-{id}} by default. */
    public boolean hasUsername() {
        return rules.hasUsername();
    }

    /** Valid only while its resource runs (a CI job's token): issuing needs a running job, finishing revokes it. */
    public boolean validOnlyWhileResourceRuns() {
        return rules.validOnlyWhileResourceRuns();
    }

    /** The only credential the feed door (RSS, calendar) accepts; it can read nothing else. */
    public boolean readsFeeds() {
        return rules.readsFeeds();
    }

    // notices and bulk paths

    /** Its owner, or its project's or group's managers, get e-mails before and on expiry (GitLab skips impersonation). */
    public boolean expiryMails() {
        return rules.expiryMails();
    }

    /** The expiring-token webhook its project or group sends. */
    public ExpiryWebhook expiryWebhook() {
        return rules.expiryWebhook();
    }

    /** Shown on its user's expiry calendar feed, which lists the tokens a person renews by hand. */
    public boolean onExpiryCalendar() {
        return rules.onExpiryCalendar();
    }

    /** Covered by the bulk extension of expiry dates (GitLab's extend script: personal access tokens without impersonation). */
    public boolean extendedInBulk() {
        return rules.extendedInBulk();
    }

    /** The Owners of a top-level group may revoke it in bulk from the inventory; other types need an administrator. */
    public boolean revokedInBulkByGroupOwners() {
        return rules.revokedInBulkByGroupOwners();
    }

    /** Made for a project or group by a member: the offboarding report lists it once its creator has left the group. */
    public boolean reportedWhenCreatorLeaves() {
        return rules.reportedWhenCreatorLeaves();
    }

    /** Inactive (revoked, rotated or expired) tokens are deleted after the retention period, as GitLab does for project and group tokens. */
    public boolean purgedAfterRetention() {
        return rules.purgedAfterRetention();
    }

    /** Its share of a generated benchmark estate, in percent (the shares add up to 100), after GitLab.com's mix. */
    public int estateShare() {
        return rules.estateShare();
    }

    // the registry as sets

    /** The types with a property, for list scopes and SQL conditions: {@code TokenType.where(TokenType::expiryMails)}. */
    public static Set<TokenType> where(Predicate<TokenType> property) {
        EnumSet<TokenType> types = EnumSet.noneOf(TokenType.class);
        Arrays.stream(values()).filter(property).forEach(types::add);
        return Collections.unmodifiableSet(types);
    }

    /** The types GitLab keeps in one model, as its console names them: {@code ofModel("PersonalAccessToken")}. */
    public static Set<TokenType> ofModel(String modelName) {
        return where(t -> t.modelName().equals(modelName));
    }

    public static Optional<TokenType> fromName(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The distinct prefixes, in declaration order (several types share {@code glpat-}). */
    private static final List<String> PREFIXES = Arrays.stream(values()).map(TokenType::prefix).distinct().toList();

    /** The prefix a secret starts with; on every authenticated request, so a plain loop over a fixed list. */
    public static Optional<String> prefixOf(String value) {
        for (String prefix : PREFIXES) {
            if (value.startsWith(prefix)) {
                return Optional.of(prefix);
            }
        }
        return Optional.empty();
    }

    private static Set<Scope> with(Set<Scope> scopes, Scope more) {
        Set<Scope> all = EnumSet.copyOf(scopes);
        all.add(more);
        return all;
    }

    private static Set<Scope> patScopes() {
        return EnumSet.of(API, READ_API, READ_USER, READ_REPOSITORY, WRITE_REPOSITORY, READ_REGISTRY, WRITE_REGISTRY,
                READ_VIRTUAL_REGISTRY, WRITE_VIRTUAL_REGISTRY, CREATE_RUNNER, MANAGE_RUNNER, K8S_PROXY, AI_FEATURES,
                SELF_ROTATE, SUDO, ADMIN_MODE, READ_SERVICE_PING);
    }

    private static Set<Scope> resourceTokenScopes(boolean group) {
        Set<Scope> scopes = EnumSet.of(API, READ_API, READ_REPOSITORY, WRITE_REPOSITORY, READ_REGISTRY, WRITE_REGISTRY,
                CREATE_RUNNER, MANAGE_RUNNER, K8S_PROXY, AI_FEATURES, SELF_ROTATE);
        if (group) {
            scopes.addAll(EnumSet.of(READ_VIRTUAL_REGISTRY, WRITE_VIRTUAL_REGISTRY));
        }
        return scopes;
    }
}
