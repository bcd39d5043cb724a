package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.jayway.jsonpath.JsonPath;

import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.shared.GlobalId;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenSecrets;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

@PatrolTest
class ScopeEnforcementTest {

    // language=GraphQL
    static final String QUERY = "{ currentUser { username } }";
    // language=GraphQL
    static final String MUTATION = "mutation { noop }";
    // language=GraphQL
    static final String ROTATE_WITH_VARIABLES =
            "mutation($input: AccessTokenRotateInput!) { accessTokenRotate(input: $input) { token } }";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired OwnerService owners;
    @Autowired MutableClock clock;

    ApiHttp http;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
        http = new ApiHttp(port, "127.0.0.1");
    }

    @AfterEach
    void resetClock() {
        clock.set(TestConfig.START);
    }

    @Test
    void readApiRunsQueriesButNotMutations() {
        String token = fixtures.pat(fixtures.human(), "read_api").secret();

        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", token).statusCode()).isEqualTo(200);
        HttpResponse<String> mutation = http.graphql(MUTATION, "PRIVATE-TOKEN", token);
        assertThat(mutation.statusCode()).isEqualTo(403);
        assertThat((String) JsonPath.read(mutation.body(), "$.error")).isEqualTo("insufficient_scope");
    }

    @Test
    void apiRunsQueriesAndMutations() {
        String token = fixtures.pat(fixtures.human(), "api").secret();

        assertThat(http.graphql(QUERY, "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        HttpResponse<String> mutation = http.graphql(MUTATION, "Authorization", "Bearer " + token);
        assertThat(mutation.statusCode()).isEqualTo(200);
        assertThat(mutation.body()).contains("\"noop\"");
    }

    @Test
    void aTokenWithoutApiScopesIsRefusedEvenForQueries() {
        String token = fixtures.pat(fixtures.human(), "read_repository").secret();

        HttpResponse<String> response = http.graphql(QUERY, "PRIVATE-TOKEN", token);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat((String) JsonPath.read(response.body(), "$.error")).isEqualTo("insufficient_scope");
    }

    @Test
    void selfRotateAloneMayOnlyRotateTheTokenItself() {
        User user = fixtures.human();
        IssuedToken own = fixtures.pat(user, "self_rotate");
        IssuedToken other = fixtures.pat(user, "api");
        String ownId = GlobalId.of("PersonalAccessToken", own.token().id());
        String otherId = GlobalId.of("PersonalAccessToken", other.token().id());

        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", own.secret()).statusCode()).isEqualTo(403);
        assertThat(http.graphql(MUTATION, "PRIVATE-TOKEN", own.secret()).statusCode()).isEqualTo(403);
        assertThat(http.graphql(rotate(otherId), "PRIVATE-TOKEN", own.secret()).statusCode()).isEqualTo(403);
        assertThat(http.graphql(rotate(ownId) + " mutation Other { noop }", "PRIVATE-TOKEN", own.secret())
                .statusCode()).isEqualTo(403);
        assertThat(http.graphql("mutation { noop " + rotate(ownId).substring("mutation {".length()),
                "PRIVATE-TOKEN", own.secret()).statusCode()).isEqualTo(403);

        HttpResponse<String> otherViaVariables = http.postJson("/graphql",
                "{\"query\":\"" + ROTATE_WITH_VARIABLES + "\","
                        + "\"variables\":{\"input\":{\"id\":\"" + otherId + "\"}}}",
                "PRIVATE-TOKEN", own.secret());
        assertThat(otherViaVariables.statusCode()).isEqualTo(403);

        HttpResponse<String> inline = http.graphql(rotate(ownId), "PRIVATE-TOKEN", own.secret());
        assertThat(inline.statusCode()).isEqualTo(200);
        assertThat(inline.body()).doesNotContain("insufficient_scope").contains("glpat-");
        IssuedToken second = fixtures.pat(user, "self_rotate");
        HttpResponse<String> withVariables = http.postJson("/graphql",
                "{\"query\":\"" + ROTATE_WITH_VARIABLES + "\","
                        + "\"variables\":{\"input\":{\"id\":\""
                        + GlobalId.of("PersonalAccessToken", second.token().id()) + "\"}}}",
                "PRIVATE-TOKEN", second.secret());
        assertThat(withVariables.statusCode()).isEqualTo(200);
        assertThat(withVariables.body()).contains("glpat-");
    }

    @Test
    void inventoryReadsNeedReadApiOrApi() {
        String readRepository = fixtures.pat(fixtures.human(), "read_repository").secret();
        String readApi = fixtures.pat(fixtures.admin(), "read_api").secret();

        assertThat(http.get("/inventory/export?format=csv", "PRIVATE-TOKEN", readRepository).statusCode())
                .isEqualTo(403);
        assertThat(http.get("/inventory/export?format=csv", "PRIVATE-TOKEN", readApi).statusCode())
                .isEqualTo(200);
        assertThat(http.postJson("/inventory/export", "{}", "PRIVATE-TOKEN", readApi).statusCode()).isEqualTo(403);
    }

    @Test
    void nonApiTokenTypesAreRefusedWithAClearMessage() {
        Group group = fixtures.group();
        Project project = fixtures.project(group);
        IssuedToken deploy = tokens.issue(Actor.system(), new NewToken(TokenType.DEPLOY, "deployer", null,
                List.of("read_repository"), null, null, project.id(), null, null, null, null));

        HttpResponse<String> response = http.graphql(QUERY, "PRIVATE-TOKEN", deploy.secret());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat((String) JsonPath.read(response.body(), "$.error")).isEqualTo("token_not_for_api");
        assertThat((String) JsonPath.read(response.body(), "$.message")).contains("deploy token");
    }

    @Test
    void revokedTokensAre401AtOnceEvenAfterACachedSuccess() {
        IssuedToken token = fixtures.pat(fixtures.human(), "api");
        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", token.secret()).statusCode()).isEqualTo(200);

        tokens.revoke(Actor.system(), token.token().id());

        HttpResponse<String> response = http.graphql(QUERY, "PRIVATE-TOKEN", token.secret());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat((String) JsonPath.read(response.body(), "$.error")).isEqualTo("token_revoked");
        assertThat(response.body()).doesNotContain(token.secret());
    }

    @Test
    void expiredTokensAre401() {
        IssuedToken token = fixtures.pat(fixtures.human(), LocalDate.of(2026, 3, 12), "api");
        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", token.secret()).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofDays(2));

        HttpResponse<String> response = http.graphql(QUERY, "PRIVATE-TOKEN", token.secret());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat((String) JsonPath.read(response.body(), "$.error")).isEqualTo("token_expired");
    }

    @Test
    void blockedUsersAre403AtOnceEvenAfterACachedSuccess() {
        User user = fixtures.human();
        String token = fixtures.pat(user, "api").secret();
        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", token).statusCode()).isEqualTo(200);

        owners.block(Actor.system(), user.id());

        HttpResponse<String> response = http.graphql(QUERY, "PRIVATE-TOKEN", token);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat((String) JsonPath.read(response.body(), "$.error")).isEqualTo("user_blocked");
    }

    @Test
    void wellFormedButUnknownTokensAre401() {
        HttpResponse<String> response = http.graphql(QUERY, "PRIVATE-TOKEN", TokenSecrets.generate(TokenType.PERSONAL));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat((String) JsonPath.read(response.body(), "$.error")).isEqualTo("token_invalid");
    }

    @Test
    void sudoActsAsTheNamedUser() {
        User admin = fixtures.admin();
        User target = fixtures.human();
        String token = fixtures.pat(admin, "api", "sudo").secret();

        HttpResponse<String> response = http.graphql(QUERY, "PRIVATE-TOKEN", token, "Sudo", target.username());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(response.body(), "$.data.currentUser.username")).isEqualTo(target.username());
    }

    @Test
    void sudoNeedsTheSudoScopeAndAKnownUser() {
        User admin = fixtures.admin();
        User target = fixtures.human();
        String withoutSudo = fixtures.pat(admin, "api").secret();
        String withSudo = fixtures.pat(admin, "api", "sudo").secret();

        HttpResponse<String> noScope = http.graphql(QUERY, "PRIVATE-TOKEN", withoutSudo, "Sudo", target.username());
        assertThat(noScope.statusCode()).isEqualTo(403);
        assertThat((String) JsonPath.read(noScope.body(), "$.error")).isEqualTo("insufficient_scope");

        HttpResponse<String> unknown = http.graphql(QUERY, "PRIVATE-TOKEN", withSudo,
                "Sudo", "nobody-" + target.username());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat((String) JsonPath.read(unknown.body(), "$.error")).isEqualTo("sudo_user_not_found");
    }

    private static String rotate(String id) {
        return "mutation { accessTokenRotate(input: {id: \"" + id + "\"}) { token } }";
    }
}
