package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.owner.User;
import dev.patrol.settings.SettingsChange;
import dev.patrol.settings.SettingsService;
import dev.patrol.shared.Actor;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.SqlRecorder;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/**
 * The performance budget needs a warm authenticated request to cost no database work at all; the cache must not
 * keep what an instance setting can switch off.
 */
@PatrolTest
class WarmAuthPathTest {

    /** Tables the authentication path could touch; other features' scheduled jobs may run SQL meanwhile. */
    static final Pattern AUTH_TABLES = Pattern.compile(
            "\\b(access_tokens|access_token_scopes|users|instance_settings|auth_failures)\\b");

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired DSLContext dsl;
    @Autowired TokenService tokens;
    @Autowired SettingsService settings;

    @Test
    void aWarmRequestRunsNoSqlWhileAColdOneRunsOneSelect() {
        String token = fixtures.pat(fixtures.human(), "read_api").secret();
        ApiHttp http = ApiHttp.from127(port, 61);

        List<String> cold = recorded(() ->
                assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", token).statusCode()).isEqualTo(200));
        List<String> warm = recorded(() ->
                assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", token).statusCode()).isEqualTo(200));

        // one SELECT loads the token, its scopes and its user (besides, the client address's ban state is read once
        // per cache period, and background jobs may write)
        assertThat(cold).filteredOn(sql -> SqlRecorder.isSelect(sql) && !sql.contains("auth_failures"))
                .singleElement().satisfies(sql -> assertThat(sql).contains("access_tokens")
                        .contains("access_token_scopes").contains("users"));
        assertThat(warm).isEmpty();
    }

    @Test
    void revokingATokenDropsItsOwnCacheEntryAndNoOther() {
        User user = fixtures.human();
        var revoked = fixtures.pat(user, "read_api");
        String kept = fixtures.pat(user, "read_api").secret();
        ApiHttp http = ApiHttp.from127(port, 63);
        assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", revoked.secret()).statusCode()).isEqualTo(200);
        assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", kept).statusCode()).isEqualTo(200);

        tokens.revoke(Actor.system(), revoked.token().id());

        assertThat(recorded(() -> assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", kept).statusCode())
                .isEqualTo(200))).isEmpty();
        HttpResponse<String> refused = http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", revoked.secret());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("token_revoked");
    }

    @Test
    void switchingImpersonationOffRefusesTheNextRequestOfAnImpersonationTokenThatJustWorked() {
        User user = fixtures.human();
        String token = tokens.issue(fixtures.actor(fixtures.admin()), new NewToken(TokenType.IMPERSONATION, "imp", null,
                List.of("read_api"), null, user.id(), null, null, null, null, null)).secret();
        ApiHttp http = ApiHttp.from127(port, 62);
        assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", token).statusCode()).isEqualTo(200);
        assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", token).statusCode()).isEqualTo(200);

        settings.update(Actor.system(), new SettingsChange(null, null, false));
        try {
            HttpResponse<String> refused = http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", token);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("impersonation_disabled");
        } finally {
            settings.update(Actor.system(), new SettingsChange(null, null, true));
        }
    }

    /** The statements on the tables authentication could touch; other features' scheduled jobs may run SQL. */
    private List<String> recorded(Runnable request) {
        return SqlRecorder.during(dsl, request).stream()
                .filter(sql -> AUTH_TABLES.matcher(sql.replace("`", "").replace("\"", "")).find()).toList();
    }
}
