package dev.patrol.token;

import static dev.patrol.token.Scope.*;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.ResourceKind;

/**
 * The registry of token types: every rule that differs between types lives here, so services ask the type
 * instead of branching on it.
 */
public enum TokenType {
    PERSONAL("PersonalAccessToken", "glpat-", "Personal access token: a user's own credential for the API, Git and registries.",
            Holder.USER, null, patScopes(), ExpiryRule.POLICY, Renewal.ROTATE, true, false, null),
    IMPERSONATION("PersonalAccessToken", "glpat-", "Impersonation token: a personal access token an administrator creates for another user.",
            Holder.USER, null, patScopes(), ExpiryRule.POLICY, Renewal.ROTATE, true, false, null),
    PROJECT("PersonalAccessToken", "glpat-", "Project access token: access to one project through its bot user, with a role.",
            Holder.PROJECT_BOT, null, resourceTokenScopes(false), ExpiryRule.POLICY, Renewal.ROTATE, true, false, AccessLevel.MAINTAINER),
    GROUP("PersonalAccessToken", "glpat-", "Group access token: access to one group and its projects through its bot user, with a role.",
            Holder.GROUP_BOT, null, resourceTokenScopes(true), ExpiryRule.POLICY, Renewal.ROTATE, true, false, AccessLevel.OWNER),
    DEPLOY("DeployToken", "gldt-", "Deploy token: clone, push and pull repositories, packages and container images of a project or group; no API access.",
            Holder.PROJECT_OR_GROUP, null, EnumSet.of(READ_REPOSITORY, READ_REGISTRY, WRITE_REGISTRY, READ_PACKAGE_REGISTRY, WRITE_PACKAGE_REGISTRY),
            ExpiryRule.OPTIONAL, Renewal.NONE, false, false, AccessLevel.MAINTAINER),
    OAUTH_APPLICATION_SECRET("OauthApplicationSecret", "gloas-", "OAuth application secret: authenticates a third-party application to Patrol's OAuth provider.",
            Holder.RESOURCE, ResourceKind.OAUTH_APPLICATION, Set.of(), ExpiryRule.NEVER, Renewal.RESET, false, true, AccessLevel.MAINTAINER),
    RUNNER_AUTHENTICATION("RunnerAuthenticationToken", "glrt-", "Runner authentication token: a runner picks up jobs with it.",
            Holder.RESOURCE, ResourceKind.RUNNER, Set.of(), ExpiryRule.OPTIONAL, Renewal.RESET, false, true, AccessLevel.MAINTAINER),
    CI_JOB("CiJobToken", "glcbt-", "CI/CD job token: valid only while its job runs, for a limited set of endpoints.",
            Holder.RESOURCE, ResourceKind.CI_JOB, Set.of(), ExpiryRule.NEVER, Renewal.NONE, false, true, AccessLevel.DEVELOPER),
    PIPELINE_TRIGGER("PipelineTriggerToken", "glptt-", "Pipeline trigger token: starts pipelines of one project.",
            Holder.PROJECT, null, Set.of(), ExpiryRule.OPTIONAL, Renewal.NONE, false, false, AccessLevel.MAINTAINER),
    FEED("FeedToken", "glft-", "Feed token: reads a user's RSS and calendar feeds; one per user; never expires.",
            Holder.USER, null, Set.of(), ExpiryRule.NEVER, Renewal.RESET, false, true, null),
    INCOMING_MAIL("IncomingMailToken", "glimt-", "Incoming mail token: creates issues by e-mail as its user; one per user; never expires.",
            Holder.USER, null, Set.of(), ExpiryRule.NEVER, Renewal.RESET, false, true, null),
    CLUSTER_AGENT("ClusterAgentToken", "glagent-", "Agent for Kubernetes token: authenticates a cluster agent.",
            Holder.RESOURCE, ResourceKind.CLUSTER_AGENT, Set.of(), ExpiryRule.NEVER, Renewal.NONE, false, false, AccessLevel.MAINTAINER),
    SCIM("ScimToken", "glsoat-", "SCIM token: provisions users of a top-level group from an identity provider.",
            Holder.TOP_LEVEL_GROUP, null, Set.of(), ExpiryRule.NEVER, Renewal.RESET, false, true, AccessLevel.OWNER),
    FEATURE_FLAGS_CLIENT("FeatureFlagsClientToken", "glffct-", "Feature flags client token: reads a project's feature flags.",
            Holder.PROJECT, null, Set.of(), ExpiryRule.NEVER, Renewal.RESET, false, true, AccessLevel.MAINTAINER),
    WORKSPACE("WorkspaceToken", "glwt-", "Workspace token: authenticates a remote development workspace.",
            Holder.RESOURCE, ResourceKind.WORKSPACE, Set.of(), ExpiryRule.NEVER, Renewal.NONE, false, true, AccessLevel.DEVELOPER);

    /** Default lifetime of a policy token when expiry is required and none is given, before the instance maximum. */
    public static final int DEFAULT_LIFETIME_DAYS = 365;
    /** Default lifetime of a rotated token when expiry is required and none is given. */
    public static final int ROTATION_LIFETIME_DAYS = 7;

    private final String modelName;
    private final String prefix;
    private final String description;
    private final Holder holder;
    private final ResourceKind resourceKind;
    private final Set<Scope> allowedScopes;
    private final ExpiryRule expiry;
    private final Renewal renewal;
    private final boolean apiAccess;
    private final boolean onePerHolder;
    private final AccessLevel managerRole;

    TokenType(String modelName, String prefix, String description, Holder holder, ResourceKind resourceKind,
            Set<Scope> allowedScopes, ExpiryRule expiry, Renewal renewal, boolean apiAccess, boolean onePerHolder,
            AccessLevel managerRole) {
        this.modelName = modelName;
        this.prefix = prefix;
        this.description = description;
        this.holder = holder;
        this.resourceKind = resourceKind;
        this.allowedScopes = allowedScopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowedScopes));
        this.expiry = expiry;
        this.renewal = renewal;
        this.apiAccess = apiAccess;
        this.onePerHolder = onePerHolder;
        this.managerRole = managerRole;
    }

    /** The model name used in global IDs and logs: {@code PersonalAccessToken/12}. */
    public String modelName() {
        return modelName;
    }

    public String prefix() {
        return prefix;
    }

    public String description() {
        return description;
    }

    public Holder holder() {
        return holder;
    }

    /** The kind of resource this type belongs to, for {@link Holder#RESOURCE} types. */
    public ResourceKind resourceKind() {
        return resourceKind;
    }

    /** Scopes a creator may choose from; empty for types whose reach is fixed by the type itself. */
    public Set<Scope> allowedScopes() {
        return allowedScopes;
    }

    /** Allowed scopes in a stable order, for display. */
    public java.util.List<Scope> allowedScopesOrdered() {
        return Arrays.stream(Scope.values()).filter(allowedScopes::contains).toList();
    }

    public boolean hasScopes() {
        return !allowedScopes.isEmpty();
    }

    public ExpiryRule expiry() {
        return expiry;
    }

    public boolean expires() {
        return expiry != ExpiryRule.NEVER;
    }

    public Renewal renewal() {
        return renewal;
    }

    public boolean renewable() {
        return renewal != Renewal.NONE;
    }

    /** Whether the token may call Patrol's GraphQL API at all (its scopes decide what it may do there). */
    public boolean apiAccess() {
        return apiAccess;
    }

    /** Whether a holder has at most one active token of this type: issuing a new one resets the old. */
    public boolean onePerHolder() {
        return onePerHolder;
    }

    /** The role on the project or group needed to manage tokens of this type; null for user-held types. */
    public AccessLevel managerRole() {
        return managerRole;
    }

    /** Whether only administrators may issue, see and manage tokens of this type (impersonation tokens). */
    public boolean administratorsOnly() {
        return this == IMPERSONATION;
    }

    /** Whether tokens of this type carry a role (project and group access tokens). */
    public boolean hasRole() {
        return holder == Holder.PROJECT_BOT || holder == Holder.GROUP_BOT;
    }

    /** A readable name: "personal access token". */
    public String label() {
        return switch (this) {
            case PERSONAL -> "personal access token";
            case IMPERSONATION -> "impersonation token";
            case PROJECT -> "project access token";
            case GROUP -> "group access token";
            case DEPLOY -> "deploy token";
            case OAUTH_APPLICATION_SECRET -> "OAuth application secret";
            case RUNNER_AUTHENTICATION -> "runner authentication token";
            case CI_JOB -> "CI/CD job token";
            case PIPELINE_TRIGGER -> "pipeline trigger token";
            case FEED -> "feed token";
            case INCOMING_MAIL -> "incoming mail token";
            case CLUSTER_AGENT -> "agent for Kubernetes token";
            case SCIM -> "SCIM token";
            case FEATURE_FLAGS_CLIENT -> "feature flags client token";
            case WORKSPACE -> "workspace token";
        };
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
