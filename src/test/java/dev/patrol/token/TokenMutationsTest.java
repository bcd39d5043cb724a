package dev.patrol.token;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.AUDIT_EVENTS;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.User;
import dev.patrol.settings.SettingsChange;
import dev.patrol.settings.SettingsService;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.GraphQlClients;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;

@PatrolTest
class TokenMutationsTest {

    // language=GraphQL
    private static final String PAT_CREATE = """
            mutation($input: PersonalAccessTokenCreateInput!) {
              personalAccessTokenCreate(input: $input) {
                token errors accessToken { id name type scopes expiresAt owner { username } createdBy { username } }
              }
            }""";
    // language=GraphQL
    private static final String REVOKE = """
            mutation($id: ID!) { accessTokenRevoke(input: {id: $id}) { errors accessToken { id revoked revokeReason } } }""";
    // language=GraphQL
    private static final String ROTATE = """
            mutation($id: ID!, $expiresAt: Date) {
              accessTokenRotate(input: {id: $id, expiresAt: $expiresAt}) {
                token errors accessToken { id expiresAt previousTokenId scopes }
              }
            }""";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired TokenRepository repository;
    @Autowired OwnerService owners;
    @Autowired SettingsService settings;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    @BeforeEach
    void reset() {
        clock.set(TestConfig.START);
        settings.update(Actor.system(), new SettingsChange(365, true, true));
    }

    private HttpGraphQlTester as(User user) {
        return GraphQlClients.as(port, fixtures.pat(user, "api"));
    }

    private int tokensOf(User user) {
        return dsl.fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.USER_ID.eq(user.id()));
    }

    private int auditEvents() {
        return dsl.fetchCount(AUDIT_EVENTS);
    }

    private static void expectCode(GraphQlTester.Response response, String code) {
        response.errors().expect(e -> code.equals(e.getExtensions().get("code"))).verify();
    }

    // personal access tokens

    @Test
    void personalAccessTokenCreateReturnsTheSecretOnceAndTheTokenWorks() {
        User user = fixtures.human();
        GraphQlTester.Response response = as(user).document(PAT_CREATE).variable("input", Map.of("name", "laptop",
                "scopes", List.of("read_api", "read_user"), "expiresAt", "2026-06-01")).execute();

        response.path("personalAccessTokenCreate.errors").entityList(String.class).hasSize(0)
                .path("personalAccessTokenCreate.accessToken.name").entity(String.class).isEqualTo("laptop")
                .path("personalAccessTokenCreate.accessToken.type").entity(String.class).isEqualTo("PERSONAL")
                .path("personalAccessTokenCreate.accessToken.scopes").entityList(String.class)
                .containsExactly("read_api", "read_user")
                .path("personalAccessTokenCreate.accessToken.expiresAt").entity(String.class).isEqualTo("2026-06-01")
                .path("personalAccessTokenCreate.accessToken.owner.username").entity(String.class)
                .isEqualTo(user.username())
                .path("personalAccessTokenCreate.accessToken.createdBy.username").entity(String.class)
                .isEqualTo(user.username());
        String secret = response.path("personalAccessTokenCreate.token").entity(String.class).get();
        String id = response.path("personalAccessTokenCreate.accessToken.id").entity(String.class).get();
        assertThat(secret).startsWith("glpat-");
        assertThat(id).startsWith("gid://patrol/PersonalAccessToken/");

        HttpGraphQlTester withNewToken = GraphQlClients.as(port, new IssuedToken(null, secret));
        withNewToken.document("{ currentUser { username } }").execute()
                .path("currentUser.username").entity(String.class).isEqualTo(user.username());
        // no query reads the secret back
        String body = as(user).document("""
                query($id: ID!) { accessToken(id: $id) { id name displayPrefix } }""").variable("id", id).execute()
                .returnResponse().toMap().toString();
        assertThat(body).contains("laptop").doesNotContain(secret);
    }

    @Test
    void badInputIsAPayloadErrorAndChangesNothing() {
        User user = fixtures.human();
        HttpGraphQlTester tester = as(user);
        int before = tokensOf(user);
        int events = auditEvents();
        for (Map<String, Object> input : List.<Map<String, Object>>of(
                Map.of("name", "x", "scopes", List.of("root")),
                Map.of("name", "x", "scopes", List.of()),
                Map.of("name", " ", "scopes", List.of("api")),
                Map.of("name", "x", "scopes", List.of("sudo")),
                Map.of("name", "x", "scopes", List.of("api"), "expiresAt", "2026-03-10"),
                Map.of("name", "x", "scopes", List.of("api"), "expiresAt", "2027-12-31"))) {
            tester.document(PAT_CREATE).variable("input", input).execute()
                    .path("personalAccessTokenCreate.token").valueIsNull()
                    .path("personalAccessTokenCreate.accessToken").valueIsNull()
                    .path("personalAccessTokenCreate.errors").entityList(String.class).hasSize(1);
        }
        assertThat(tokensOf(user)).isEqualTo(before);
        assertThat(auditEvents()).isEqualTo(events);
    }

    @Test
    void onlyAdminsCreatePersonalAccessTokensForOthers() {
        User user = fixtures.human();
        User other = fixtures.human();
        String otherId = "gid://patrol/User/" + other.id();
        Map<String, Object> input = Map.of("userId", otherId, "name", "for-other", "scopes", List.of("read_api"));

        expectCode(as(user).document(PAT_CREATE).variable("input", input).execute(), "FORBIDDEN");
        assertThat(tokensOf(other)).isZero();

        as(fixtures.admin()).document(PAT_CREATE).variable("input", input).execute()
                .path("personalAccessTokenCreate.accessToken.owner.username").entity(String.class)
                .isEqualTo(other.username());
        assertThat(tokensOf(other)).isEqualTo(1);
    }

    @Test
    void impersonationTokensAreForAdminsOnly() {
        User target = fixtures.human();
        // language=GraphQL
        String doc = """
                mutation($userId: ID!) {
                  impersonationTokenCreate(input: {userId: $userId, name: "support", scopes: ["api"]}) {
                    token errors accessToken { type owner { username } }
                  }
                }""";
        String userId = "gid://patrol/User/" + target.id();
        expectCode(as(fixtures.human()).document(doc).variable("userId", userId).execute(), "FORBIDDEN");
        as(fixtures.admin()).document(doc).variable("userId", userId).execute()
                .path("impersonationTokenCreate.accessToken.type").entity(String.class).isEqualTo("IMPERSONATION")
                .path("impersonationTokenCreate.token").entity(String.class).satisfies(t -> assertThat(t).startsWith("glpat-"));
    }

    // project, group and deploy tokens

    @Test
    void projectAccessTokensNeedMaintainerAndARoleNoHigherThanYourOwn() {
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        User maintainer = fixtures.human();
        User developer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        fixtures.member(developer, project, AccessLevel.DEVELOPER);
        // language=GraphQL
        String doc = """
                mutation($projectId: ID!, $level: AccessLevel) {
                  projectAccessTokenCreate(input: {projectId: $projectId, name: "ci", scopes: ["read_api"],
                                                  accessLevel: $level}) {
                    token errors accessToken { type accessLevel owner { kind } project { fullPath } }
                  }
                }""";
        String projectId = "gid://patrol/Project/" + project.id();

        as(maintainer).document(doc).variable("projectId", projectId).variable("level", "DEVELOPER").execute()
                .path("projectAccessTokenCreate.accessToken.accessLevel").entity(String.class).isEqualTo("DEVELOPER")
                .path("projectAccessTokenCreate.accessToken.owner.kind").entity(String.class).isEqualTo("PROJECT_BOT")
                .path("projectAccessTokenCreate.accessToken.project.fullPath").entity(String.class)
                .isEqualTo(project.fullPath());
        expectCode(as(maintainer).document(doc).variable("projectId", projectId).variable("level", "OWNER").execute(),
                "FORBIDDEN");
        expectCode(as(developer).document(doc).variable("projectId", projectId).execute(), "FORBIDDEN");
        assertThat(dsl.fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.PROJECT_ID.eq(project.id()))).isEqualTo(1);
    }

    @Test
    void groupAccessTokensNeedOwner() {
        Group group = fixtures.group();
        User owner = fixtures.human();
        User maintainer = fixtures.human();
        fixtures.member(owner, group, AccessLevel.OWNER);
        fixtures.member(maintainer, group, AccessLevel.MAINTAINER);
        // language=GraphQL
        String doc = """
                mutation($groupId: ID!) {
                  groupAccessTokenCreate(input: {groupId: $groupId, name: "ops", scopes: ["api"], accessLevel: OWNER}) {
                    token errors accessToken { type accessLevel group { fullPath } owner { kind } }
                  }
                }""";
        String groupId = "gid://patrol/Group/" + group.id();
        expectCode(as(maintainer).document(doc).variable("groupId", groupId).execute(), "FORBIDDEN");
        as(owner).document(doc).variable("groupId", groupId).execute()
                .path("groupAccessTokenCreate.accessToken.accessLevel").entity(String.class).isEqualTo("OWNER")
                .path("groupAccessTokenCreate.accessToken.group.fullPath").entity(String.class).isEqualTo(group.fullPath())
                .path("groupAccessTokenCreate.accessToken.owner.kind").entity(String.class).isEqualTo("GROUP_BOT");
    }

    @Test
    void deployTokensBelongToAProjectOrAGroup() {
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        User maintainer = fixtures.human();
        fixtures.member(maintainer, group, AccessLevel.MAINTAINER);
        // language=GraphQL
        String doc = """
                mutation($input: DeployTokenCreateInput!) {
                  deployTokenCreate(input: $input) { token errors accessToken { type username project { id } group { id } owner { id } } }
                }""";
        String projectId = "gid://patrol/Project/" + project.id();
        String groupId = "gid://patrol/Group/" + group.id();
        as(maintainer).document(doc).variable("input", Map.of("projectId", projectId, "name", "registry",
                        "scopes", List.of("read_registry"), "username", "puller")).execute()
                .path("deployTokenCreate.token").entity(String.class).satisfies(t -> assertThat(t).startsWith("gldt-"))
                .path("deployTokenCreate.accessToken.username").entity(String.class).isEqualTo("puller")
                .path("deployTokenCreate.accessToken.owner").valueIsNull();
        as(maintainer).document(doc).variable("input", Map.of("projectId", projectId, "groupId", groupId,
                        "name", "both", "scopes", List.of("read_registry"))).execute()
                .path("deployTokenCreate.errors").entityList(String.class).hasSize(1);
        as(maintainer).document(doc).variable("input", Map.of("groupId", groupId, "name", "bad",
                        "scopes", List.of("api"))).execute()
                .path("deployTokenCreate.errors").entityList(String.class).hasSize(1);
        assertThat(dsl.fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.TYPE.eq(TokenType.DEPLOY)
                .and(ACCESS_TOKENS.PROJECT_ID.eq(project.id()).or(ACCESS_TOKENS.GROUP_ID.eq(group.id()))))).isEqualTo(1);
    }

    @Test
    void everyOtherTypeIsIssuedAndResetThroughOnePattern() {
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        User owner = fixtures.human();
        fixtures.member(owner, group, AccessLevel.OWNER);
        Resource runner = owners.createResource(Actor.system(), ResourceKind.RUNNER, "r1", project.id(), null, null);
        Resource job = owners.createResource(Actor.system(), ResourceKind.CI_JOB, "build", project.id(), null, null);
        HttpGraphQlTester tester = as(owner);
        // language=GraphQL
        String create = """
                mutation($input: AccessTokenCreateInput!) {
                  accessTokenCreate(input: $input) { token errors accessToken { id type expiresAt } }
                }""";
        Map<String, Map<String, Object>> inputs = Map.of(
                "glptt-", Map.of("type", "PIPELINE_TRIGGER", "name", "nightly", "projectId", "gid://patrol/Project/" + project.id()),
                "glffct-", Map.of("type", "FEATURE_FLAGS_CLIENT", "projectId", "gid://patrol/Project/" + project.id()),
                "glsoat-", Map.of("type", "SCIM", "groupId", "gid://patrol/Group/" + group.id()),
                "glrt-", Map.of("type", "RUNNER_AUTHENTICATION", "resourceId", "gid://patrol/Runner/" + runner.id()),
                "glcbt-", Map.of("type", "CI_JOB", "resourceId", "gid://patrol/CiJob/" + job.id()),
                "glft-", Map.of("type", "FEED"),
                "glimt-", Map.of("type", "INCOMING_MAIL"));
        inputs.forEach((prefix, input) -> tester.document(create).variable("input", input).execute()
                .path("accessTokenCreate.errors").entityList(String.class).hasSize(0)
                .path("accessTokenCreate.token").entity(String.class).satisfies(t -> assertThat(t).startsWith(prefix)));

        // a holder of the wrong kind is a payload error
        tester.document(create).variable("input", Map.of("type", "SCIM", "projectId", "gid://patrol/Project/" + project.id()))
                .execute().path("accessTokenCreate.errors").entityList(String.class).hasSize(1);

        // reset: feed tokens reset; personal access tokens rotate instead
        // language=GraphQL
        String reset = """
                mutation($id: ID!) { accessTokenReset(input: {id: $id}) { token errors accessToken { id type } } }""";
        String feedId = tester.document("""
                { accessTokens(filter: {types: [FEED], state: ACTIVE}) { nodes { id } } }""").execute()
                .path("accessTokens.nodes[0].id").entity(String.class).get();
        tester.document(reset).variable("id", feedId).execute()
                .path("accessTokenReset.token").entity(String.class).satisfies(t -> assertThat(t).startsWith("glft-"));
        IssuedToken pat = fixtures.pat(owner, "api");
        tester.document(reset).variable("id", "gid://patrol/" + pat.token().reference()).execute()
                .path("accessTokenReset.errors").entityList(String.class).hasSize(1);
        assertThat(repository.findById(pat.token().id()).orElseThrow().isRevoked()).isFalse();
    }

    @Test
    void resourcesAreCreatedThroughTheApiAndHoldTheirTokens() {
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        User maintainer = fixtures.human();
        User developer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        fixtures.member(developer, project, AccessLevel.DEVELOPER);
        // language=GraphQL
        String create = """
                mutation($input: ResourceCreateInput!) {
                  resourceCreate(input: $input) { errors resource { id kind name state project { fullPath } } }
                }""";
        Map<String, Object> runner = Map.of("kind", "RUNNER", "name", "linux-1",
                "projectId", "gid://patrol/Project/" + project.id());
        expectCode(as(developer).document(create).variable("input", runner).execute(), "FORBIDDEN");
        as(maintainer).document(create).variable("input", Map.of("kind", "RUNNER", "name", " ",
                "projectId", "gid://patrol/Project/" + project.id())).execute()
                .path("resourceCreate.errors").entityList(String.class).hasSize(1);
        HttpGraphQlTester tester = as(maintainer);
        String runnerId = tester.document(create).variable("input", runner).execute()
                .path("resourceCreate.resource.kind").entity(String.class).isEqualTo("RUNNER")
                .path("resourceCreate.resource.state").entity(String.class).isEqualTo("ACTIVE")
                .path("resourceCreate.resource.project.fullPath").entity(String.class).isEqualTo(project.fullPath())
                .path("resourceCreate.resource.id").entity(String.class).get();
        assertThat(runnerId).startsWith("gid://patrol/Runner/");
        tester.document("""
                mutation($r: ID!) {
                  accessTokenCreate(input: {type: RUNNER_AUTHENTICATION, resourceId: $r}) { token errors accessToken { resource { id name } } }
                }""")
                .variable("r", runnerId).execute()
                .path("accessTokenCreate.token").entity(String.class).satisfies(t -> assertThat(t).startsWith("glrt-"))
                .path("accessTokenCreate.accessToken.resource.id").entity(String.class).isEqualTo(runnerId)
                .path("accessTokenCreate.accessToken.resource.name").entity(String.class).isEqualTo("linux-1");
        String workspace = as(developer).document(create).variable("input", Map.of("kind", "WORKSPACE", "name", "ws"))
                .execute().path("resourceCreate.resource.id").entity(String.class).get();
        assertThat(workspace).startsWith("gid://patrol/Workspace/");
    }

    // revoke, rotate, extend

    @Test
    void revokeOwnTokensButNotOthers() {
        User user = fixtures.human();
        HttpGraphQlTester tester = as(user);
        IssuedToken mine = fixtures.pat(user, "read_api");
        IssuedToken theirs = fixtures.pat(fixtures.human(), "read_api");

        tester.document(REVOKE).variable("id", "gid://patrol/" + mine.token().reference()).execute()
                .path("accessTokenRevoke.errors").entityList(String.class).hasSize(0)
                .path("accessTokenRevoke.accessToken.revoked").entity(Boolean.class).isEqualTo(true)
                .path("accessTokenRevoke.accessToken.revokeReason").entity(String.class).isEqualTo("revoked");
        tester.document(REVOKE).variable("id", "gid://patrol/" + mine.token().reference()).execute()
                .path("accessTokenRevoke.errors[0]").entity(String.class).satisfies(m -> assertThat(m).contains("already revoked"));
        expectCode(tester.document(REVOKE).variable("id", "gid://patrol/" + theirs.token().reference()).execute(),
                "FORBIDDEN");
        assertThat(repository.findById(theirs.token().id()).orElseThrow().isRevoked()).isFalse();
        expectCode(tester.document(REVOKE).variable("id", "gid://patrol/User/1").execute(), "BAD_USER_INPUT");
        expectCode(tester.document(REVOKE).variable("id", "gid://patrol/PersonalAccessToken/987654321").execute(),
                "NOT_FOUND");
    }

    @Test
    void aTokenMayRevokeItself() {
        User user = fixtures.human();
        IssuedToken self = fixtures.pat(user, "api");
        GraphQlClients.as(port, self).document(REVOKE).variable("id", "gid://patrol/" + self.token().reference())
                .execute().path("accessTokenRevoke.accessToken.revoked").entity(Boolean.class).isEqualTo(true);
    }

    @Test
    void rotateReturnsANewSecretAndReuseOfTheOldOneRevokesTheFamily() {
        User user = fixtures.human();
        HttpGraphQlTester tester = as(user);
        IssuedToken old = fixtures.pat(user, "read_api", "read_user");
        String oldId = "gid://patrol/" + old.token().reference();

        GraphQlTester.Response rotated = tester.document(ROTATE).variable("id", oldId)
                .variable("expiresAt", "2026-04-01").execute();
        rotated.path("accessTokenRotate.errors").entityList(String.class).hasSize(0)
                .path("accessTokenRotate.accessToken.previousTokenId").entity(String.class).isEqualTo(oldId)
                .path("accessTokenRotate.accessToken.expiresAt").entity(String.class).isEqualTo("2026-04-01")
                .path("accessTokenRotate.accessToken.scopes").entityList(String.class).containsExactly("read_api", "read_user");
        String secret = rotated.path("accessTokenRotate.token").entity(String.class).get();
        assertThat(secret).startsWith("glpat-").isNotEqualTo(old.secret());
        long successor = Long.parseLong(rotated.path("accessTokenRotate.accessToken.id").entity(String.class).get()
                .replaceAll(".*/", ""));

        clock.advance(java.time.Duration.ofMinutes(1));
        tester.document(ROTATE).variable("id", oldId).execute()
                .path("accessTokenRotate.token").valueIsNull()
                .path("accessTokenRotate.errors[0]").entity(String.class).satisfies(m -> assertThat(m).contains("reuse"));
        assertThat(repository.findById(successor).orElseThrow().revokeReason()).isEqualTo("reuse_detected");
    }

    @Test
    void aSelfRotateTokenRotatesOnlyItself() {
        User user = fixtures.human();
        IssuedToken self = fixtures.pat(user, "self_rotate");
        IssuedToken other = fixtures.pat(fixtures.human(), "api");
        HttpGraphQlTester tester = GraphQlClients.as(port, self);
        tester.document(ROTATE).variable("id", "gid://patrol/" + self.token().reference()).execute()
                .path("accessTokenRotate.errors").entityList(String.class).hasSize(0)
                .path("accessTokenRotate.token").entity(String.class).satisfies(t -> assertThat(t).startsWith("glpat-"));
        rotateIsRefusedWithInsufficientScope(fixtures.pat(user, "self_rotate"), other);
        IssuedToken sibling = fixtures.pat(user, "read_api");
        rotateIsRefusedWithInsufficientScope(fixtures.pat(user, "self_rotate"), sibling);
        assertThat(repository.findById(sibling.token().id()).orElseThrow().isRevoked()).isFalse();
    }

    @Test
    void extendMovesTheExpiryWithinThePolicy() {
        User user = fixtures.human();
        HttpGraphQlTester tester = as(user);
        IssuedToken token = fixtures.pat(user, LocalDate.of(2026, 4, 1), "read_api");
        // language=GraphQL
        String doc = """
                mutation($id: ID!, $date: Date!) { accessTokenExtend(input: {id: $id, expiresAt: $date}) { errors accessToken { expiresAt } } }""";
        String id = "gid://patrol/" + token.token().reference();
        tester.document(doc).variable("id", id).variable("date", "2026-09-01").execute()
                .path("accessTokenExtend.accessToken.expiresAt").entity(String.class).isEqualTo("2026-09-01");
        tester.document(doc).variable("id", id).variable("date", "2028-01-01").execute()
                .path("accessTokenExtend.accessToken").valueIsNull()
                .path("accessTokenExtend.errors").entityList(String.class).hasSize(1);
        assertThat(repository.findById(token.token().id()).orElseThrow().expiresAt()).isEqualTo(LocalDate.of(2026, 9, 1));
    }

    // nested lists

    @Test
    void projectsAndGroupsListTheirTokensToThoseWhoManageThem() {
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        User maintainer = fixtures.human();
        User developer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        fixtures.member(developer, group, AccessLevel.DEVELOPER);
        tokens.issue(Actor.system(), new NewToken(TokenType.PROJECT, "p1", null, List.of("api"), null, null,
                project.id(), null, null, null, null));
        tokens.issue(Actor.system(), new NewToken(TokenType.DEPLOY, "d1", null, List.of("read_repository"), null, null,
                project.id(), null, null, null, null));
        tokens.issue(Actor.system(), new NewToken(TokenType.DEPLOY, "d2", null, List.of("read_repository"), null, null,
                null, group.id(), null, null, null));
        // language=GraphQL
        String doc = """
                query($p: String!, $g: String!) {
                  project(fullPath: $p) { accessTokens { count nodes { name } } deployTokens { nodes { name } } group { fullPath } }
                  group(fullPath: $g) { accessTokens { count } deployTokens(filter: {state: ACTIVE}) { nodes { name } } }
                }""";
        as(maintainer).document(doc).variable("p", project.fullPath()).variable("g", group.fullPath()).execute()
                .errors().expect(e -> "NOT_FOUND".equals(e.getExtensions().get("code"))).verify()
                .path("project.accessTokens.nodes[*].name").entityList(String.class).containsExactly("p1")
                .path("project.deployTokens.nodes[*].name").entityList(String.class).containsExactly("d1")
                .path("project.group.fullPath").entity(String.class).isEqualTo(group.fullPath());
        as(developer).document(doc).variable("p", project.fullPath()).variable("g", group.fullPath()).execute()
                .path("project.accessTokens.count").entity(Integer.class).isEqualTo(0)
                .path("group.deployTokens.nodes").entityList(Object.class).hasSize(0);
        as(fixtures.admin()).document(doc).variable("p", project.fullPath()).variable("g", group.fullPath()).execute()
                .path("group.deployTokens.nodes[*].name").entityList(String.class).containsExactly("d2");
    }

    /** The filter refuses a self_rotate-only token's rotation of any other token before GraphQL runs: HTTP 403. */
    private void rotateIsRefusedWithInsufficientScope(IssuedToken caller, IssuedToken target) {
        org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port).build()
                .post().uri("/graphql").header("PRIVATE-TOKEN", caller.secret())
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("query", ROTATE,
                        "variables", java.util.Map.of("id", "gid://patrol/" + target.token().reference())))
                .exchange()
                .expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("insufficient_scope"));
    }
}
