package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenService;
import tools.jackson.databind.json.JsonMapper;

@PatrolTest
class ApiRequestLogTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired JsonMapper json;

    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(ApiRequestLog.LOGGER);
    ApiHttp http;

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
        http = new ApiHttp(port, "127.0.0.1");
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void aSuccessfulRequestIsOneJsonLineWithUserTokenStatusAndDuration() {
        User user = fixtures.human();
        IssuedToken token = fixtures.pat(user, "read_api");

        http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", token.secret());

        Map<String, Object> line = await().until(() -> lineFor(user.username()), l -> l != null);
        assertThat(line).containsEntry("method", "POST").containsEntry("path", "/graphql")
                .containsEntry("status", 200).containsEntry("username", user.username())
                .containsEntry("token_id", "PersonalAccessToken/" + token.token().id())
                .containsKey("duration_s").doesNotContainKey("meta.auth_fail_reason");
        assertNoLineContains(token.secret());
    }

    @Test
    void aRevokedTokenIsLoggedWithReasonTokenIdAndRequestedScopes() {
        IssuedToken token = fixtures.pat(fixtures.human(), "read_api");
        tokens.revoke(Actor.system(), token.token().id());

        http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", token.secret());

        Map<String, Object> line = lastLine();
        assertThat(line).containsEntry("status", 401)
                .containsEntry("meta.auth_fail_reason", "token_revoked")
                .containsEntry("meta.auth_fail_token_id", "PersonalAccessToken/" + token.token().id())
                .containsEntry("meta.auth_fail_requested_scopes", "read_api api");
        assertNoLineContains(token.secret());
    }

    @Test
    void insufficientScopeNamesTheScopesTheMutationNeeded() {
        IssuedToken token = fixtures.pat(fixtures.human(), "read_api");

        http.graphql("mutation { noop }", "PRIVATE-TOKEN", token.secret());

        assertThat(lastLine()).containsEntry("status", 403)
                .containsEntry("meta.auth_fail_reason", "insufficient_scope")
                .containsEntry("meta.auth_fail_token_id", "PersonalAccessToken/" + token.token().id())
                .containsEntry("meta.auth_fail_requested_scopes", "api");
    }

    @Test
    void malformedAndMissingTokensAreLoggedWithoutTheValue() {
        http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", "glpat-not-a-real-token-value");
        assertThat(lastLine()).containsEntry("status", 401).containsEntry("meta.auth_fail_reason", "token_malformed")
                .doesNotContainKey("meta.auth_fail_token_id");
        assertNoLineContains("not-a-real-token-value");

        http.graphql("{ currentUser { id } }");
        assertThat(lastLine()).containsEntry("status", 401).containsEntry("meta.auth_fail_reason", "token_missing");
    }

    private Map<String, Object> lineFor(String username) {
        return lines().stream().filter(l -> username.equals(l.get("username"))).findFirst().orElse(null);
    }

    private Map<String, Object> lastLine() {
        List<Map<String, Object>> lines = lines();
        assertThat(lines).isNotEmpty();
        return lines.getLast();
    }

    private List<Map<String, Object>> lines() {
        return List.copyOf(appender.list).stream()
                .map(e -> parse(e.getFormattedMessage())).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parse(String line) {
        return json.readValue(line, Map.class);
    }

    private void assertNoLineContains(String text) {
        assertThat(List.copyOf(appender.list))
                .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(text));
    }
}
