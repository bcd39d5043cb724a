package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.ResourceKind;
import dev.patrol.shared.Actor;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.Introspect;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/** GitLab's {@code POST /api/v4/runners/verify}: the runner's token in the body, no caller token. From 127.0.0.1. */
@PatrolTest
class RunnerVerifyTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired OwnerService owners;

    ApiHttp http;
    Resource runner;

    @BeforeEach
    void setUp() {
        http = new ApiHttp(port, "127.0.0.1");
        Project project = fixtures.project(fixtures.group());
        runner = owners.createResource(Actor.system(), ResourceKind.RUNNER, "linux-1", project.id(), null, null);
    }

    @Test
    void aRunnersTokenInAJsonOrFormBodyAnswersTheRunnersIdAndTokenExpiry() {
        IssuedToken token = runnerToken(LocalDate.of(2026, 12, 31));

        HttpResponse<String> json = http.postJson(RunnerVerifyDoor.PATH,
                "{\"token\":\"" + token.secret() + "\",\"system_id\":\"s_0123456789ab\"}");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(Introspect.parse(json.body())).containsEntry("id", (int) runner.id())
                .containsEntry("token", token.secret()).containsEntry("token_expires_at", "2026-12-31T00:00:00Z");

        HttpResponse<String> form = form(Introspect.form("token", token.secret()));
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(Introspect.parse(form.body())).containsEntry("id", (int) runner.id());
    }

    @Test
    void aTokenThatNeverExpiresAnswersANullExpiry() {
        IssuedToken token = runnerToken(null);
        Map<String, Object> answer = Introspect.parse(form(Introspect.form("token", token.secret())).body());
        Map<String, Object> expected = new HashMap<>();
        expected.put("token_expires_at", null);
        assertThat(answer).containsAllEntriesOf(expected);
    }

    @Test
    void anythingButAnActiveRunnerTokenIs403AndAMissingTokenIs400() {
        IssuedToken revoked = runnerToken(null);
        tokens.revoke(Actor.system(), revoked.token().id());
        String personal = fixtures.pat(fixtures.human(), "api").secret();

        for (String value : new String[] {revoked.secret(), personal, "glrt-guess"}) {
            HttpResponse<String> refused = form(Introspect.form("token", value));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(Introspect.parse(refused.body())).isEqualTo(Map.of("message", "403 Forbidden"));
        }
        // a caller token in the header does not stand in for the runner's own
        HttpResponse<String> headerOnly = http.postJson(RunnerVerifyDoor.PATH, "{}", "PRIVATE-TOKEN", personal);
        assertThat(headerOnly.statusCode()).isEqualTo(400);
        assertThat(Introspect.parse(headerOnly.body())).isEqualTo(Map.of("error", "token is missing"));
        assertThat(http.get(RunnerVerifyDoor.PATH).statusCode()).isEqualTo(405);
    }

    private IssuedToken runnerToken(LocalDate expiresAt) {
        return tokens.issue(Actor.system(), new NewToken(TokenType.RUNNER_AUTHENTICATION, null, null, null, expiresAt,
                null, null, null, runner.id(), null, null));
    }

    private HttpResponse<String> form(String body) {
        return http.send(HttpRequest.newBuilder(http.uri(RunnerVerifyDoor.PATH))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-www-form-urlencoded"));
    }
}
