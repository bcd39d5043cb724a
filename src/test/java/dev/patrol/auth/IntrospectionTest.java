package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.ACCESS_TOKEN_LAST_USED_IPS;
import static patrol.jooq.Tables.AUTH_FAILURES;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.PatrolException;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.Introspect;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.SqlRecorder;
import dev.patrol.support.TestConfig;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenSecrets;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may introspect and how the door answers: caller credentials, the cases that are not active, the rate limit,
 * the ban, usage and the statements it costs. Each test calls from a loopback address of its own (127.0.0.131-139).
 */
@PatrolTest
class IntrospectionTest {

    static final Map<String, Object> INACTIVE = Map.of("active", false);
    /** Tables introspection could touch; other features' scheduled jobs may run SQL meanwhile. */
    static final Pattern TOKEN_TABLES = Pattern.compile("\\b(access_tokens|access_token_scopes|users|resources)\\b");

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired OwnerService owners;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;
    @Autowired UsageBuffer usage;
    @Autowired JsonMapper json;

    final ListAppender<ILoggingEvent> requestLog = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(ApiRequestLog.LOGGER);

    User admin;
    String target;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
        requestLog.start();
        logger.addAppender(requestLog);
        admin = fixtures.admin();
        target = fixtures.pat(fixtures.human(), "read_api").secret();
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(requestLog);
        clock.set(TestConfig.START);
    }

    // who may ask

    @Test
    void anAdministratorsApiTokenAndAnIntrospectTokenOfAnAdministratorOrServiceAccountMayIntrospect() {
        ApiHttp http = ApiHttp.from127(port, 131);
        User serviceAccount = fixtures.serviceAccount(fixtures.group());

        for (String caller : List.of(fixtures.pat(admin, "api").secret(), fixtures.pat(admin, "introspect").secret(),
                fixtures.pat(serviceAccount, "introspect").secret())) {
            assertThat(Introspect.withBearer(http, caller).token(target)).containsEntry("active", true);
            assertThat(Introspect.withHeaders(http, "PRIVATE-TOKEN", caller).token(target))
                    .containsEntry("active", true);
        }
    }

    @Test
    void aTokenWithoutTheRightIsRefusedWithAnInsufficientScopeChallenge() {
        ApiHttp http = ApiHttp.from127(port, 131);
        for (String caller : List.of(fixtures.pat(admin, "read_api").secret(),
                fixtures.pat(fixtures.human(), "api").secret())) {
            HttpResponse<String> refused = Introspect.withBearer(http, caller).post("token", target);

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).get().asString()
                    .startsWith("Bearer realm=\"patrol\"").contains("error=\"insufficient_scope\"");
            assertThat(Introspect.parse(refused.body())).containsEntry("error", "insufficient_scope")
                    .containsKey("error_description");
        }
    }

    @Test
    void theIntrospectScopeIsOnlyForAdministratorsAndServiceAccounts() {
        assertThatThrownBy(() -> fixtures.pat(fixtures.human(), "introspect"))
                .isInstanceOf(PatrolException.class)
                .hasMessageContaining("needs an administrator or a service account");
    }

    @Test
    void noOrBadCallerCredentialsAre401WithChallengesAndNeverEchoTheToken() {
        ApiHttp http = ApiHttp.from127(port, 132);

        HttpResponse<String> none = Introspect.withHeaders(http).post("token", target);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().allValues("WWW-Authenticate"))
                .containsExactly("Basic realm=\"patrol\"", "Bearer realm=\"patrol\"");
        assertThat(Introspect.parse(none.body())).containsEntry("error", "invalid_client");

        IssuedToken revoked = fixtures.pat(admin, "api");
        tokens.revoke(Actor.system(), revoked.token().id());
        HttpResponse<String> bad = Introspect.withBearer(http, revoked.secret()).post("token", target);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("WWW-Authenticate")).contains(
                "Bearer realm=\"patrol\", error=\"invalid_token\"");
        assertThat(Introspect.parse(bad.body())).containsEntry("error", "invalid_token");
        assertThat(bad.body()).doesNotContain(revoked.secret()).doesNotContain(target);
    }

    @Test
    void anOAuthApplicationAuthenticatesWithItsIdAndSecretOverBasic() {
        ApiHttp http = ApiHttp.from127(port, 133);
        Project project = fixtures.project(fixtures.group());
        Resource app = owners.createResource(fixtures.actor(admin), ResourceKind.OAUTH_APPLICATION, "gateway",
                project.id(), null, null);
        String secret = tokens.issue(fixtures.actor(admin), new NewToken(TokenType.OAUTH_APPLICATION_SECRET, null,
                null, null, null, null, null, null, app.id(), null, null)).secret();

        assertThat(Introspect.withClient(http, String.valueOf(app.id()), secret).token(target))
                .containsEntry("active", true);
        assertThat(Introspect.withClient(http, GlobalId.of("OauthApplication", app.id()), secret).token(target))
                .containsEntry("active", true);

        for (Introspect wrong : List.of(Introspect.withClient(http, String.valueOf(app.id() + 1), secret),
                Introspect.withClient(http, String.valueOf(app.id()), TokenSecrets.generate(
                        TokenType.OAUTH_APPLICATION_SECRET)),
                Introspect.withClient(http, String.valueOf(app.id()), target),
                Introspect.withHeaders(http, "Authorization", "Basic not-base64!"))) {
            HttpResponse<String> refused = wrong.post("token", target);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"patrol\"");
            assertThat(Introspect.parse(refused.body())).containsEntry("error", "invalid_client");
        }
    }

    // what is not active

    @Test
    void unknownMalformedAndBlockedUsersTokensAreNotActiveAndTheReasonGoesOnlyToTheLog() {
        Introspect introspect = Introspect.withBearer(ApiHttp.from127(port, 134), fixtures.pat(admin, "api").secret());
        User blocked = fixtures.human();
        IssuedToken blockedUsersToken = fixtures.pat(blocked, "read_api");
        assertThat(introspect.token(blockedUsersToken.secret())).containsEntry("active", true);
        owners.block(Actor.system(), blocked.id());

        assertThat(introspect.token(blockedUsersToken.secret())).isEqualTo(INACTIVE);
        assertThat(introspect.token(TokenSecrets.generate(TokenType.PERSONAL))).isEqualTo(INACTIVE);
        assertThat(introspect.token("glpat-nonsense")).isEqualTo(INACTIVE);

        assertThat(logReasons("user_blocked", "token_invalid", "token_malformed")).isNotEmpty();
        assertThat(logLineWith("user_blocked")).containsEntry("status", 200)
                .containsEntry("path", "/oauth/introspect")
                .containsEntry("meta.introspected_token_id", blockedUsersToken.token().reference());
    }

    @Test
    void aDeployTokenPassedWithItsUsernameIsActiveOnlyWhenTheUsernameMatches() {
        Introspect introspect = Introspect.withBearer(ApiHttp.from127(port, 134), fixtures.pat(admin, "api").secret());
        Project project = fixtures.project(fixtures.group());
        IssuedToken deploy = tokens.issue(fixtures.actor(admin), new NewToken(TokenType.DEPLOY, "registry", null,
                List.of("read_registry"), null, null, project.id(), null, null, null, "ci-puller"));

        assertThat(introspect.token(deploy.secret(), "token_type_hint", "deploy_token", "username", "ci-puller"))
                .containsEntry("active", true).containsEntry("username", "ci-puller")
                .containsEntry("scope", "read_registry");
        assertThat(introspect.token(deploy.secret(), "token_type_hint", "deploy_token", "username", "someone"))
                .isEqualTo(INACTIVE);
        assertThat(introspect.token(deploy.secret(), "username", "someone")).isEqualTo(INACTIVE);
        assertThat(introspect.token(deploy.secret(), "token_type_hint", "deploy_token")).isEqualTo(INACTIVE);
        assertThat(logReasons("deploy_username_mismatch", "deploy_username_missing")).isNotEmpty();
        // a wrong hint is only a hint (RFC 7662 2.1); other parameters are ignored
        assertThat(introspect.token(deploy.secret(), "token_type_hint", "refresh_token", "client_id", "x"))
                .containsEntry("active", true);
    }

    @Test
    void aCiJobTokenIsActiveWhileItsJobRunsAndNotOnceItFinished() {
        Introspect introspect = Introspect.withBearer(ApiHttp.from127(port, 134), fixtures.pat(admin, "api").secret());
        Project project = fixtures.project(fixtures.group());
        TokenService.StartedCiJob started = tokens.startCiJob(fixtures.actor(admin), project.id(), "deploy");

        assertThat(introspect.token(started.token().secret())).containsEntry("active", true)
                .containsEntry("job", GlobalId.of("CiJob", started.job().id()))
                .containsEntry("project", GlobalId.of("Project", project.id()))
                .containsEntry("username", admin.username());

        tokens.finishCiJob(fixtures.actor(admin), started.job().id());

        assertThat(introspect.token(started.token().secret())).isEqualTo(INACTIVE);
        assertThat(logReasons("ci_job_finished")).isNotEmpty();
    }

    // limits, ban, usage

    @Test
    void eachCallerHasItsOwnRateLimitAnsweredWith429() {
        ApiHttp http = ApiHttp.from127(port, 135);
        Introspect busy = Introspect.withBearer(http, fixtures.pat(admin, "api").secret());
        Introspect other = Introspect.withBearer(http, fixtures.pat(admin, "api").secret());
        for (int i = 0; i < PatrolTest.INTROSPECTION_RATE_LIMIT; i++) {
            assertThat(busy.post("token", target).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> limited = busy.post("token", target);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        assertThat(Introspect.parse(limited.body())).containsEntry("error", "rate_limited");
        assertThat(other.post("token", target).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(1));
        assertThat(busy.post("token", target).statusCode()).isEqualTo(200);
    }

    @Test
    void introspectingTokensThatAreNotActiveNeverCountsTowardTheCallersBan() {
        ApiHttp http = ApiHttp.from127(port, 136);
        String caller = fixtures.pat(admin, "api").secret();
        Introspect introspect = Introspect.withBearer(http, caller);
        for (int i = 0; i < 40; i++) {
            assertThat(introspect.token(i % 2 == 0 ? "glpat-guess" + i : TokenSecrets.generate(TokenType.PERSONAL)))
                    .isEqualTo(INACTIVE);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(dsl.fetchCount(AUTH_FAILURES, AUTH_FAILURES.IP.eq("127.0.0.136"))).isZero();
        assertThat(http.graphql("{ currentUser { username } }", "PRIVATE-TOKEN", caller).statusCode()).isEqualTo(200);
    }

    @Test
    void introspectionRecordsTheTokensLastUseButNotTheCallersAddress() {
        ApiHttp http = ApiHttp.from127(port, 137);
        IssuedToken introspected = fixtures.pat(fixtures.human(), "read_api");
        Introspect introspect = Introspect.withBearer(http, fixtures.pat(admin, "api").secret());

        introspect.token(introspected.secret());
        usage.flush();

        assertThat(dsl.select(ACCESS_TOKENS.LAST_USED_AT).from(ACCESS_TOKENS)
                .where(ACCESS_TOKENS.ID.eq(introspected.token().id())).fetchOne(ACCESS_TOKENS.LAST_USED_AT))
                .isNotNull();
        assertThat(dsl.fetchCount(ACCESS_TOKEN_LAST_USED_IPS,
                ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID.eq(introspected.token().id()))).isZero();
    }

    @Test
    void aWarmIntrospectionRunsNoSqlAndAColdOneOneSelect() {
        Introspect introspect = Introspect.withBearer(ApiHttp.from127(port, 138), fixtures.pat(admin, "api").secret());
        introspect.token(fixtures.pat(fixtures.human(), "read_api").secret()); // warms the caller and the address
        String fresh = fixtures.pat(fixtures.human(), "read_api").secret();

        List<String> cold = recorded(() -> assertThat(introspect.token(fresh)).containsEntry("active", true));
        List<String> warm = recorded(() -> assertThat(introspect.token(fresh)).containsEntry("active", true));

        assertThat(cold).singleElement().satisfies(sql -> assertThat(SqlRecorder.isSelect(sql)).isTrue());
        assertThat(warm).isEmpty();
    }

    // bad input

    @Test
    void badRequestsGetOAuthErrorsAndChangeNothing() {
        ApiHttp http = ApiHttp.from127(port, 139);
        String caller = fixtures.pat(admin, "api").secret();
        Introspect introspect = Introspect.withBearer(http, caller);

        HttpResponse<String> missing = introspect.post("token_type_hint", "access_token");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(Introspect.parse(missing.body())).containsEntry("error", "invalid_request");

        HttpResponse<String> get = introspect.send(HttpRequest.newBuilder(http.uri("/oauth/introspect?token=" + target))
                .GET());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");

        HttpResponse<String> asJson = introspect.send(HttpRequest.newBuilder(http.uri("/oauth/introspect"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + target + "\"}"))
                .header("Content-Type", "application/json"));
        assertThat(asJson.statusCode()).isEqualTo(415);
        assertThat(Introspect.parse(asJson.body())).containsEntry("error", "invalid_request");
        assertThat(asJson.body()).doesNotContain(target);
        assertThat(dsl.fetchCount(AUTH_FAILURES, AUTH_FAILURES.IP.eq("127.0.0.139"))).isZero();
    }

    private List<String> recorded(Runnable request) {
        return SqlRecorder.during(dsl, request).stream()
                .filter(sql -> TOKEN_TABLES.matcher(sql.replace("`", "").replace("\"", "")).find()).toList();
    }

    /** The logged failure reasons, once all the expected ones are there (lines are written as responses complete). */
    private List<String> logReasons(String... expected) {
        return await().until(() -> lines().stream().map(l -> (String) l.get("meta.auth_fail_reason"))
                .filter(r -> r != null).toList(), r -> r.containsAll(List.of(expected)));
    }

    private Map<String, Object> logLineWith(String reason) {
        return lines().stream().filter(l -> reason.equals(l.get("meta.auth_fail_reason"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> lines() {
        return requestLog.list.stream().map(e -> (Map<String, Object>) json.readValue(e.getFormattedMessage(),
                Map.class)).toList();
    }
}
