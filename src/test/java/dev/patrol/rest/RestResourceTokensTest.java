package dev.patrol.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.AUDIT_EVENTS;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.token.TokenService;

/**
 * GitLab's REST API for project and group access tokens, deploy tokens and impersonation tokens over real HTTP,
 * with {@code :id} as a number or an encoded path ({@code acme%2Fapi}).
 */
@PatrolTest
class RestResourceTokensTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    User admin;
    Rest asAdmin;
    Group group;
    Project project;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
        admin = fixtures.admin();
        asAdmin = Rest.as(port, fixtures.pat(admin, "api").secret());
        group = fixtures.group();
        project = fixtures.project(group);
    }

    @Test
    void projectAccessTokensByEncodedPathCreateListShowRotateAndRevoke() {
        String base = "/projects/" + encoded(project.fullPath()) + "/access_tokens";
        assertThat(base).contains("%2F");

        HttpResponse<String> created = asAdmin.post(base, """
                {"name": "deployer", "scopes": ["read_api"], "access_level": 30, "expires_at": "%s"}"""
                .formatted(tokens.today().plusDays(20)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Rest.<String>read(created, "$.token")).startsWith("glpat-");
        assertThat(Rest.<Integer>read(created, "$.access_level")).isEqualTo(30);
        assertThat(Rest.<String>read(created, "$.resource_type")).isEqualTo("project");
        assertThat(Rest.<Integer>read(created, "$.resource_id")).isEqualTo((int) project.id());
        int id = Rest.read(created, "$.id");

        HttpResponse<String> listed = asAdmin.get("/projects/" + project.id() + "/access_tokens");
        assertThat(Rest.<List<Integer>>read(listed, "$[*].id")).containsExactly(id);
        assertThat(listed.body()).doesNotContain("\"token\"");
        assertThat(listed.headers().firstValue("X-Total")).hasValue("1");
        assertThat(Rest.<String>read(asAdmin.get(base + "/" + id), "$.name")).isEqualTo("deployer");

        HttpResponse<String> rotated = asAdmin.post(base + "/" + id + "/rotate", "{}");
        assertThat(rotated.statusCode()).isEqualTo(200);
        int successor = Rest.read(rotated, "$.id");
        assertThat(Rest.<Integer>read(rotated, "$.access_level")).isEqualTo(30);
        HttpResponse<String> bot = Rest.as(port, Rest.read(rotated, "$.token")).get("/user");
        assertThat(Rest.<Boolean>read(bot, "$.bot")).isTrue();
        assertThat(Rest.<List<Integer>>read(asAdmin.get(base + "?state=active"), "$[*].id")).containsExactly(successor);
        assertThat(Rest.<List<Integer>>read(asAdmin.get(base + "?state=inactive"), "$[*].id")).containsExactly(id);

        assertThat(asAdmin.delete(base + "/" + successor).statusCode()).isEqualTo(204);
        assertThat(tokens.token(successor).isRevoked()).isTrue();
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("token_revoked"),
                AUDIT_EVENTS.TARGET_ID.eq((long) successor))).isEqualTo(1);
    }

    @Test
    void groupAccessTokensOfANestedGroupByEncodedPath() {
        Group sub = fixtures.subgroup(group);
        String base = "/groups/" + encoded(sub.fullPath()) + "/access_tokens";

        HttpResponse<String> created = asAdmin.post(base, "{\"name\": \"group-bot\", \"scopes\": [\"api\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Rest.<Integer>read(created, "$.access_level")).isEqualTo(40);
        assertThat(Rest.<String>read(created, "$.resource_type")).isEqualTo("group");
        int id = Rest.read(created, "$.id");

        assertThat(Rest.<List<Integer>>read(asAdmin.get("/groups/" + sub.id() + "/access_tokens"), "$[*].id"))
                .containsExactly(id);
        assertThat(asAdmin.get("/groups/" + group.id() + "/access_tokens/" + id).statusCode())
                .as("a token of another group").isEqualTo(404);
        assertThat(asAdmin.post(base + "/" + id + "/rotate", "").statusCode()).isEqualTo(200);
        assertThat(asAdmin.delete(base + "/" + id).statusCode()).as("already rotated").isEqualTo(400);
    }

    @Test
    void whoMayManageResourceTokensIsTheTokenModulesRule() {
        User maintainer = fixtures.human();
        User developer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        fixtures.member(developer, project, AccessLevel.DEVELOPER);
        Rest asMaintainer = Rest.as(port, fixtures.pat(maintainer, "api").secret());
        Rest asDeveloper = Rest.as(port, fixtures.pat(developer, "api").secret());
        String base = "/projects/" + project.id() + "/access_tokens";

        HttpResponse<String> created = asMaintainer.post(base, "{\"name\": \"ci\", \"scopes\": [\"read_api\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        int id = Rest.read(created, "$.id");
        HttpResponse<String> tooHigh = asMaintainer.post(base,
                "{\"name\": \"ci\", \"scopes\": [\"read_api\"], \"access_level\": 50}");
        assertThat(tooHigh.statusCode()).as("a role above the maintainer's own").isEqualTo(403);

        assertThat(asDeveloper.post(base, "{\"name\": \"x\", \"scopes\": [\"read_api\"]}").statusCode()).isEqualTo(403);
        assertThat(Rest.<List<Integer>>read(asDeveloper.get(base), "$[*].id")).isEmpty();
        assertThat(asDeveloper.get(base + "/" + id).statusCode()).isEqualTo(404);
        assertThat(asDeveloper.delete(base + "/" + id).statusCode()).isEqualTo(404);
        assertThat(tokens.token(id).isRevoked()).isFalse();
    }

    @Test
    void deployTokensOfProjectsAndGroupsAndTheAdministratorsList() {
        String base = "/projects/" + encoded(project.fullPath()) + "/deploy_tokens";
        String expiry = tokens.today().plusDays(10) + "T00:00:00.000Z";

        HttpResponse<String> created = asAdmin.post(base, """
                {"name": "registry", "scopes": ["read_repository", "read_registry"], "expires_at": "%s"}"""
                .formatted(expiry));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        int id = Rest.read(created, "$.id");
        String secret = Rest.read(created, "$.token");
        assertThat(secret).startsWith("gldt-");
        assertThat(Rest.<String>read(created, "$.username")).isEqualTo("gitlab+deploy-token-" + id);
        assertThat(Rest.<String>read(created, "$.expires_at")).isEqualTo(expiry);
        assertThat(Rest.<Boolean>read(created, "$.expired")).isFalse();
        HttpResponse<String> named = asAdmin.postForm(base, "name=pusher&scopes[]=write_registry&username=pusher-bot");
        assertThat(Rest.<String>read(named, "$.username")).isEqualTo("pusher-bot");

        HttpResponse<String> listed = asAdmin.get("/projects/" + project.id() + "/deploy_tokens");
        assertThat(Rest.<List<String>>read(listed, "$[*].name")).containsExactlyInAnyOrder("registry", "pusher");
        assertThat(listed.body()).doesNotContain("\"token\"");
        assertThat(Rest.<List<String>>read(asAdmin.get(base + "/" + id), "$.scopes"))
                .containsExactlyInAnyOrder("read_repository", "read_registry");
        assertThat(asAdmin.delete(base + "/" + id).statusCode()).isEqualTo(204);
        assertThat(Rest.<Boolean>read(asAdmin.get(base + "/" + id), "$.revoked")).isTrue();
        assertThat(Rest.<List<String>>read(asAdmin.get(base + "?active=true"), "$[*].name")).containsExactly("pusher");
        assertThat(Rest.as(port, secret).get("/user").statusCode()).as("revoked").isEqualTo(401);
        assertThat(Rest.as(port, Rest.read(named, "$.token")).get("/user").statusCode())
                .as("deploy tokens have no API access").isEqualTo(403);

        HttpResponse<String> forGroup = asAdmin.post("/groups/" + encoded(group.fullPath()) + "/deploy_tokens",
                "{\"name\": \"group-pull\", \"scopes\": [\"read_package_registry\"]}");
        int groupTokenId = Rest.read(forGroup, "$.id");
        assertThat(Rest.<List<Integer>>read(asAdmin.get("/groups/" + group.id() + "/deploy_tokens"), "$[*].id"))
                .containsExactly(groupTokenId);
        assertThat(Rest.<List<Integer>>read(asAdmin.get("/deploy_tokens?per_page=100&sort=created_desc"), "$[*].id"))
                .contains(groupTokenId);
        User someone = fixtures.human();
        assertThat(Rest.as(port, fixtures.pat(someone, "api").secret()).get("/deploy_tokens").statusCode())
                .isEqualTo(403);
        assertThat(asAdmin.post(base, "{\"name\": \"bad\", \"scopes\": [\"api\"]}").statusCode()).isEqualTo(400);
    }

    @Test
    void impersonationTokensAreForAdministrators() {
        User carol = fixtures.human();
        String base = "/users/" + carol.id() + "/impersonation_tokens";

        HttpResponse<String> created = asAdmin.post(base, "{\"name\": \"support\", \"scopes\": [\"read_api\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Rest.<Boolean>read(created, "$.impersonation")).isTrue();
        int id = Rest.read(created, "$.id");
        assertThat(Rest.<String>read(Rest.as(port, Rest.read(created, "$.token")).get("/user"), "$.username"))
                .isEqualTo(carol.username());
        assertThat(Rest.<List<Integer>>read(asAdmin.get(base), "$[*].id")).containsExactly(id);
        assertThat(Rest.<String>read(asAdmin.get(base + "/" + id), "$.name")).isEqualTo("support");
        assertThat(asAdmin.get("/users/" + admin.id() + "/impersonation_tokens/" + id).statusCode()).isEqualTo(404);
        Rest asCarol = Rest.as(port, fixtures.pat(carol, "api").secret());
        assertThat(asCarol.get(base).statusCode()).isEqualTo(403);
        assertThat(asCarol.post(base, "{\"name\": \"x\", \"scopes\": [\"api\"]}").statusCode()).isEqualTo(403);

        assertThat(asAdmin.delete(base + "/" + id).statusCode()).isEqualTo(204);
        assertThat(Rest.<List<Integer>>read(asAdmin.get(base + "?state=active"), "$[*].id")).isEmpty();
        assertThat(Rest.<List<Integer>>read(asAdmin.get(base + "?state=inactive"), "$[*].id")).containsExactly(id);
    }

    @Test
    void aPathThatIsNotAProjectOrAMalformedIdIsGitLabs404Or400AndChangesNothing() {
        int before = dsl.fetchCount(ACCESS_TOKENS);

        assertMessage(asAdmin.get("/projects/no%2Fsuch-project/access_tokens"), 404, "404 Project Not Found");
        assertMessage(asAdmin.post("/projects/" + encoded(group.fullPath()) + "/access_tokens",
                "{\"name\": \"x\", \"scopes\": [\"api\"]}"), 404, "404 Project Not Found");
        assertMessage(asAdmin.get("/groups/999999999/deploy_tokens"), 404, "404 Group Not Found");
        assertMessage(asAdmin.get("/projects/" + project.id() + "/access_tokens/x1"), 400,
                "400 Bad request - token_id is invalid");
        assertMessage(asAdmin.post("/projects/" + project.id() + "/access_tokens", "{\"scopes\": [\"api\"]}"), 400,
                "400 Bad request - name is missing");
        assertMessage(asAdmin.post("/projects/" + project.id() + "/access_tokens",
                "{\"name\": \"x\", \"scopes\": [\"api\"], \"access_level\": 99}"), 400, null);
        assertMessage(asAdmin.post("/projects/" + project.id() + "/access_tokens",
                "{\"name\": \"x\", \"scopes\": [\"api\"], \"access_level\": \"high\"}"), 400,
                "400 Bad request - access_level is invalid");
        assertMessage(asAdmin.post("/projects/" + project.id() + "/deploy_tokens", "{\"name\": \"x\"}"), 400,
                "400 Bad request - scopes is missing");
        assertMessage(asAdmin.get("/users/abc/impersonation_tokens"), 404, "404 User Not Found");

        assertThat(dsl.fetchCount(ACCESS_TOKENS)).isEqualTo(before);
    }

    private static void assertMessage(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Rest.<String>read(response, "$.message")).isNotBlank();
        if (message != null) {
            assertThat(Rest.<String>read(response, "$.message")).isEqualTo(message);
        }
    }

    private static String encoded(String path) {
        return URLEncoder.encode(path, StandardCharsets.UTF_8);
    }
}
