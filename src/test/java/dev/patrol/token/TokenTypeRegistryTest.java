package dev.patrol.token;

import static dev.patrol.token.TokenType.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.patrol.owner.ResourceKind;

/**
 * The registry read back as GitLab's token tables say it (docs "Token overview" and the reference facts): one row
 * per type, then each named property as the set of types it holds for. A rule changed in {@link TokenType} shows
 * up here as a changed line.
 */
class TokenTypeRegistryTest {

    @Test
    void eachTypeReadsAsGitLabsTokenTable() {
        assertThat(Arrays.stream(TokenType.values()).map(TokenTypeRegistryTest::row).toList()).containsExactly(
                // type | model | prefix | label | held by | API | expiry | renewal | one per holder | managed by
                "PERSONAL | PersonalAccessToken | glpat- | personal access token | USER | api | POLICY | ROTATE | many | -",
                "IMPERSONATION | PersonalAccessToken | glpat- | impersonation token | USER | api | POLICY | ROTATE | many | -",
                "PROJECT | PersonalAccessToken | glpat- | project access token | PROJECT_BOT | api | POLICY | ROTATE | many | MAINTAINER",
                "GROUP | PersonalAccessToken | glpat- | group access token | GROUP_BOT | api | POLICY | ROTATE | many | OWNER",
                "DEPLOY | DeployToken | gldt- | deploy token | PROJECT_OR_GROUP | no api | OPTIONAL | NONE | many | MAINTAINER",
                "OAUTH_APPLICATION_SECRET | OauthApplicationSecret | gloas- | OAuth application secret | RESOURCE OAUTH_APPLICATION | no api | NEVER | RESET | one | MAINTAINER",
                "RUNNER_AUTHENTICATION | RunnerAuthenticationToken | glrt- | runner authentication token | RESOURCE RUNNER | no api | OPTIONAL | RESET | one | MAINTAINER",
                "CI_JOB | CiJobToken | glcbt- | CI/CD job token | RESOURCE CI_JOB | no api | NEVER | NONE | one | DEVELOPER",
                "PIPELINE_TRIGGER | PipelineTriggerToken | glptt- | pipeline trigger token | PROJECT | no api | OPTIONAL | NONE | many | MAINTAINER",
                "FEED | FeedToken | glft- | feed token | USER | no api | NEVER | RESET | one | -",
                "INCOMING_MAIL | IncomingMailToken | glimt- | incoming mail token | USER | no api | NEVER | RESET | one | -",
                "CLUSTER_AGENT | ClusterAgentToken | glagent- | agent for Kubernetes token | RESOURCE CLUSTER_AGENT | no api | NEVER | NONE | many | MAINTAINER",
                "SCIM | ScimToken | glsoat- | SCIM token | TOP_LEVEL_GROUP | no api | NEVER | RESET | one | OWNER",
                "FEATURE_FLAGS_CLIENT | FeatureFlagsClientToken | glffct- | feature flags client token | PROJECT | no api | NEVER | RESET | one | MAINTAINER",
                "WORKSPACE | WorkspaceToken | glwt- | workspace token | RESOURCE WORKSPACE | no api | NEVER | NONE | one | DEVELOPER");
    }

    @Test
    void scopesFollowGitLabsScopeTable() {
        // P = personal, G = group token, Pr = project token; deploy tokens have their own five
        Set<Scope> projectToken = EnumSet.of(Scope.API, Scope.READ_API, Scope.READ_REPOSITORY, Scope.WRITE_REPOSITORY,
                Scope.READ_REGISTRY, Scope.WRITE_REGISTRY, Scope.CREATE_RUNNER, Scope.MANAGE_RUNNER, Scope.K8S_PROXY,
                Scope.AI_FEATURES, Scope.SELF_ROTATE);
        Set<Scope> groupToken = EnumSet.copyOf(projectToken);
        groupToken.addAll(EnumSet.of(Scope.READ_VIRTUAL_REGISTRY, Scope.WRITE_VIRTUAL_REGISTRY));
        Set<Scope> personal = EnumSet.copyOf(groupToken);
        personal.addAll(EnumSet.of(Scope.READ_USER, Scope.SUDO, Scope.ADMIN_MODE, Scope.READ_SERVICE_PING));

        Set<Scope> personalWithIntrospect = EnumSet.copyOf(personal);
        personalWithIntrospect.add(Scope.INTROSPECT);

        // introspect is Patrol's own: a resource server's credential, so never on an impersonation token
        assertThat(PERSONAL.allowedScopes()).isEqualTo(personalWithIntrospect);
        assertThat(IMPERSONATION.allowedScopes()).isEqualTo(personal);
        assertThat(PROJECT.allowedScopes()).isEqualTo(projectToken);
        assertThat(GROUP.allowedScopes()).isEqualTo(groupToken);
        assertThat(DEPLOY.allowedScopes()).containsExactlyInAnyOrder(Scope.READ_REPOSITORY, Scope.READ_REGISTRY,
                Scope.WRITE_REGISTRY, Scope.READ_PACKAGE_REGISTRY, Scope.WRITE_PACKAGE_REGISTRY);
        assertThat(TokenType.where(TokenType::hasScopes)).containsExactly(PERSONAL, IMPERSONATION, PROJECT, GROUP,
                DEPLOY);
    }

    @Test
    void whoCreatesSeesAndUsesEachType() {
        // impersonation: created by an administrator for another user; an instance setting can disable it
        assertThat(TokenType.where(TokenType::impersonation)).containsExactly(IMPERSONATION);
        assertThat(TokenType.where(t -> !t.cachedForAuthentication())).containsExactly(IMPERSONATION);
        assertThat(TokenType.where(TokenType::managedByItsUser)).containsExactly(PERSONAL, FEED, INCOMING_MAIL);
        // User.personalAccessTokens and the console's ownerIsHuman
        assertThat(TokenType.where(TokenType::usersPersonalAccessToken)).containsExactly(PERSONAL, IMPERSONATION);
        // GitLab's personal_access_tokens table holds the bots' tokens too (the console's PersonalAccessTokens)
        assertThat(TokenType.ofModel("PersonalAccessToken")).containsExactly(PERSONAL, IMPERSONATION, PROJECT, GROUP);
        assertThat(TokenType.ofModel("ClusterAgentToken")).containsExactly(CLUSTER_AGENT);
        assertThat(TokenType.where(TokenType::hasRole)).containsExactly(PROJECT, GROUP);
        assertThat(TokenType.where(TokenType::hasUsername)).containsExactly(DEPLOY);
        assertThat(TokenType.where(TokenType::validOnlyWhileResourceRuns)).containsExactly(CI_JOB);
        assertThat(CI_JOB.resourceKind()).isEqualTo(ResourceKind.CI_JOB);
        assertThat(TokenType.where(TokenType::readsFeeds)).containsExactly(FEED);
    }

    @Test
    void noticesAndBulkPathsCoverTheTypesGitLabsDo() {
        // e-mails: personal tokens (without impersonation) to their owner, project and group tokens to their managers
        assertThat(TokenType.where(TokenType::expiryMails)).containsExactly(PERSONAL, PROJECT, GROUP);
        assertThat(TokenType.where(t -> t.expiryWebhook() == ExpiryWebhook.RESOURCE_ACCESS_TOKEN))
                .containsExactly(PROJECT, GROUP);
        assertThat(TokenType.where(t -> t.expiryWebhook() == ExpiryWebhook.DEPLOY_TOKEN)).containsExactly(DEPLOY);
        assertThat(TokenType.where(TokenType::onExpiryCalendar)).containsExactly(PERSONAL);
        // GitLab's extend script: PersonalAccessToken.without_impersonation
        assertThat(TokenType.where(TokenType::extendedInBulk)).containsExactly(PERSONAL, PROJECT, GROUP);
        assertThat(TokenType.where(TokenType::revokedInBulkByGroupOwners)).containsExactly(PERSONAL, PROJECT, GROUP,
                DEPLOY);
        assertThat(TokenType.where(TokenType::reportedWhenCreatorLeaves)).containsExactly(PROJECT, GROUP, DEPLOY);
        // inactive project and group tokens stay listed for 30 days, then are deleted
        assertThat(TokenType.where(TokenType::purgedAfterRetention)).containsExactly(PROJECT, GROUP);
    }

    @Test
    void aGeneratedEstateMixesTheTypesInSharesThatAddUpToAHundred() {
        assertThat(Arrays.stream(TokenType.values()).filter(t -> t.estateShare() > 0)
                .map(t -> t.name() + " " + t.estateShare()).toList()).containsExactly("PERSONAL 52",
                        "IMPERSONATION 3", "PROJECT 10", "GROUP 5", "DEPLOY 8", "RUNNER_AUTHENTICATION 4",
                        "PIPELINE_TRIGGER 4", "FEED 8", "INCOMING_MAIL 4", "CLUSTER_AGENT 2");
        assertThat(Arrays.stream(TokenType.values()).mapToInt(TokenType::estateShare).sum()).isEqualTo(100);
    }

    @Test
    void typesSharingAPrefixShareAModel() {
        assertThat(Arrays.stream(TokenType.values()).collect(Collectors.groupingBy(TokenType::prefix,
                Collectors.mapping(TokenType::modelName, Collectors.toSet()))).values())
                .allSatisfy(models -> assertThat(models).hasSize(1));
        assertThat(TokenType.prefixOf("glpat-abc")).hasValue("glpat-");
        assertThat(TokenType.prefixOf("glagent-abc")).hasValue("glagent-");
        assertThat(TokenType.prefixOf("ghp_abc")).isEmpty();
        assertThat(List.of(TokenType.values())).allSatisfy(t -> assertThat(t.label()).isNotBlank());
    }

    private static String row(TokenType t) {
        String heldBy = t.holder() == Holder.RESOURCE ? "RESOURCE " + t.resourceKind() : t.holder().name();
        return String.join(" | ", t.name(), t.modelName(), t.prefix(), t.label(), heldBy,
                t.apiAccess() ? "api" : "no api", t.expiry().name(), t.renewal().name(),
                t.onePerHolder() ? "one" : "many", t.managerRole() == null ? "-" : t.managerRole().name());
    }
}
