package dev.patrol.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.AUDIT_EVENTS;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
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
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.SqlRecorder;
import dev.patrol.support.TestConfig;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenService;

/**
 * GitLab's REST API for users and personal access tokens over real HTTP: shapes, status codes, scopes per endpoint,
 * pagination headers, sudo, reuse detection, the ban and the request log, and bad input that changes nothing.
 */
@PatrolTest
class RestTokenApiTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    final ListAppender<ILoggingEvent> requestLog = new ListAppender<>();
    final Logger requestLogger = (Logger) LoggerFactory.getLogger("patrol.api");

    User admin;
    Rest asAdmin;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
        requestLog.start();
        requestLogger.addAppender(requestLog);
        admin = fixtures.admin();
        asAdmin = Rest.as(port, fixtures.pat(admin, "api", "sudo").secret());
    }

    @AfterEach
    void tearDown() {
        requestLogger.detachAppender(requestLog);
        clock.set(TestConfig.START);
    }

    // users

    @Test
    void currentUserAndUserByIdAreGitLabsUserEntity() {
        User alice = fixtures.human();
        Rest asAlice = Rest.as(port, fixtures.pat(alice, "read_user").secret());

        HttpResponse<String> me = asAlice.get("/user");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(Rest.<Integer>read(me, "$.id")).isEqualTo((int) alice.id());
        assertThat(Rest.<String>read(me, "$.username")).isEqualTo(alice.username());
        assertThat(Rest.<String>read(me, "$.state")).isEqualTo("active");
        assertThat(Rest.<String>read(me, "$.email")).isEqualTo(alice.email());
        assertThat(Rest.<String>read(me, "$.created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(me.body()).doesNotContain("is_admin");

        HttpResponse<String> other = asAlice.get("/users/" + admin.id());
        assertThat(Rest.<String>read(other, "$.username")).isEqualTo(admin.username());
        assertThat(other.body()).doesNotContain("email");
        assertThat(Rest.<Boolean>read(asAdmin.get("/users/" + alice.id()), "$.is_admin")).isFalse();
        assertThat(asAlice.get("/users/999999999").statusCode()).isEqualTo(404);
        assertThat(Rest.<String>read(asAlice.get("/users/abc"), "$.message")).isEqualTo("404 User Not Found");
    }

    // creating

    @Test
    void anAdministratorCreatesATokenForAUserAndOnlyTheCreateAnswerHasTheSecret() {
        User alice = fixtures.human();
        LocalDate expiry = tokens.today().plusDays(30);

        HttpResponse<String> created = asAdmin.post("/users/" + alice.id() + "/personal_access_tokens", """
                {"name": "laptop", "scopes": ["api", "read_user"], "expires_at": "%s", "description": "mine",
                 "undeclared": "is ignored"}""".formatted(expiry));

        assertThat(created.statusCode()).isEqualTo(201);
        String secret = Rest.read(created, "$.token");
        assertThat(secret).startsWith("glpat-");
        assertThat(Rest.<List<String>>read(created, "$.scopes")).containsExactlyInAnyOrder("api", "read_user");
        assertThat(Rest.<String>read(created, "$.expires_at")).isEqualTo(expiry.toString());
        assertThat(Rest.<Integer>read(created, "$.user_id")).isEqualTo((int) alice.id());
        assertThat(Rest.<Boolean>read(created, "$.active")).isTrue();
        assertThat(Rest.<Boolean>read(created, "$.revoked")).isFalse();
        assertThat(Rest.<String>read(created, "$.description")).isEqualTo("mine");
        int id = Rest.read(created, "$.id");
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("token_created"),
                AUDIT_EVENTS.TARGET_ID.eq((long) id), AUDIT_EVENTS.SOURCE.eq("api"))).isEqualTo(1);

        Rest asAlice = Rest.as(port, secret);
        HttpResponse<String> self = asAlice.get("/personal_access_tokens/self");
        assertThat(Rest.<Integer>read(self, "$.id")).isEqualTo(id);
        assertThat(self.body()).doesNotContain("\"token\"").doesNotContain(secret);
        assertThat(asAlice.get("/personal_access_tokens").body()).doesNotContain("\"token\"").doesNotContain(secret);
        assertThat(asAlice.get("/personal_access_tokens/" + id).body()).doesNotContain(secret);
        assertThat(requestLog.list).noneMatch(e -> e.getFormattedMessage().contains(secret));
    }

    @Test
    void aUserMayCreateOnlyAK8sProxyTokenForThemselves() {
        User alice = fixtures.human();
        Rest asAlice = Rest.as(port, fixtures.pat(alice, "api").secret());

        HttpResponse<String> k8s = asAlice.postForm("/user/personal_access_tokens", "name=agent&scopes[]=k8s_proxy");
        assertThat(k8s.statusCode()).isEqualTo(201);
        assertThat(Rest.<Integer>read(k8s, "$.user_id")).isEqualTo((int) alice.id());

        HttpResponse<String> wider = asAlice.post("/user/personal_access_tokens", """
                {"name": "wider", "scopes": ["api"]}""");
        assertThat(wider.statusCode()).isEqualTo(400);
        assertThat(Rest.<String>read(wider, "$.message")).isEqualTo("400 Bad request - scopes does not have a valid value");
        assertThat(asAlice.post("/users/" + alice.id() + "/personal_access_tokens", """
                {"name": "x", "scopes": ["api"]}""").statusCode()).isEqualTo(403);
        assertThat(tokenCount(alice)).isEqualTo(2);
    }

    // listing

    @Test
    void listsFilterAsGitLabsDoAndNonAdministratorsSeeTheirOwn() {
        User alice = fixtures.human();
        IssuedToken laptop = tokens.issue(Actor.system(), dev.patrol.token.NewToken.personal(alice.id(), "laptop",
                List.of("api"), tokens.today().plusDays(10)));
        IssuedToken ci = tokens.issue(Actor.system(), dev.patrol.token.NewToken.personal(alice.id(), "ci",
                List.of("read_api"), tokens.today().plusDays(100)));
        IssuedToken old = tokens.issue(Actor.system(), dev.patrol.token.NewToken.personal(alice.id(), "old",
                List.of("read_api"), null));
        tokens.revoke(Actor.system(), old.token().id());
        String user = "/personal_access_tokens?user_id=" + alice.id();

        assertThat(names(asAdmin.get(user))).containsExactly("old", "ci", "laptop");
        assertThat(names(asAdmin.get(user + "&sort=name_asc"))).containsExactly("ci", "laptop", "old");
        assertThat(names(asAdmin.get(user + "&revoked=true"))).containsExactly("old");
        assertThat(names(asAdmin.get(user + "&state=active&sort=expires_asc"))).containsExactly("laptop", "ci");
        assertThat(names(asAdmin.get(user + "&state=inactive"))).containsExactly("old");
        assertThat(names(asAdmin.get(user + "&search=LAP"))).containsExactly("laptop");
        assertThat(names(asAdmin.get(user + "&expires_before=" + tokens.today().plusDays(20)))).containsExactly("laptop");
        assertThat(names(asAdmin.get(user + "&expires_after=" + tokens.today().plusDays(20))))
                .as("a token created without an expiry got the default of a year").containsExactly("old", "ci");
        assertThat(names(asAdmin.get(user + "&created_after=2099-01-01T00:00:00Z"))).isEmpty();
        assertThat(names(asAdmin.get(user + "&created_before=2099-01-01"))).hasSize(3);
        assertThat(names(asAdmin.get(user + "&last_used_after=2000-01-01T00:00:00Z"))).isEmpty();

        Rest asAlice = Rest.as(port, laptop.secret());
        assertThat(names(asAlice.get("/personal_access_tokens?sort=name_desc"))).containsExactly("old", "laptop", "ci");
        assertThat(asAlice.get("/personal_access_tokens?user_id=" + admin.id()).statusCode())
                .as("GitLab's documented answer").isEqualTo(401);
        assertThat(Rest.<String>read(asAlice.get("/personal_access_tokens/" + ci.token().id()), "$.name")).isEqualTo("ci");
        long adminsToken = fixtures.pat(admin, "api").token().id();
        assertThat(Rest.<String>read(asAlice.get("/personal_access_tokens/" + adminsToken), "$.message"))
                .isEqualTo("404 Personal Access Token Not Found");
    }

    @Test
    void pagesCarryGitLabsHeadersAndTheNextLinkPagesByKeyset() {
        User bob = fixtures.human();
        for (int i = 0; i < 5; i++) {
            tokens.issue(Actor.system(), dev.patrol.token.NewToken.personal(bob.id(), "t" + i, List.of("read_api"), null));
        }
        String list = "/personal_access_tokens?user_id=" + bob.id() + "&sort=name_asc&per_page=2";

        HttpResponse<String> first = asAdmin.get(list);
        assertThat(names(first)).containsExactly("t0", "t1");
        assertThat(header(first, "X-Page")).isEqualTo("1");
        assertThat(header(first, "X-Per-Page")).isEqualTo("2");
        assertThat(header(first, "X-Next-Page")).isEqualTo("2");
        assertThat(header(first, "X-Prev-Page")).isEmpty();
        assertThat(header(first, "X-Total")).isEqualTo("5");
        assertThat(header(first, "X-Total-Pages")).isEqualTo("3");
        String next = link(first, "next");
        assertThat(next).contains("user_id=" + bob.id()).contains("sort=name_asc").contains("page=2")
                .contains("per_page=2").contains("cursor=");
        assertThat(link(first, "last")).contains("page=3");

        HttpResponse<String> second = get(next);
        assertThat(names(second)).containsExactly("t2", "t3");
        assertThat(header(second, "X-Page")).isEqualTo("2");
        assertThat(header(second, "X-Prev-Page")).isEqualTo("1");
        HttpResponse<String> third = get(link(second, "next"));
        assertThat(names(third)).containsExactly("t4");
        assertThat(header(third, "X-Next-Page")).isEmpty();
        assertThat(link(third, "next")).isNull();

        HttpResponse<String> byNumber = asAdmin.get(list + "&page=3");
        assertThat(names(byNumber)).containsExactly("t4");
        assertThat(header(asAdmin.get(list + "&page=2"), "X-Next-Page")).isEqualTo("3");

        HttpResponse<String> keyset = asAdmin.get(list + "&pagination=keyset");
        assertThat(names(keyset)).containsExactly("t0", "t1");
        assertThat(keyset.headers().firstValue("X-Total")).isEmpty();
        assertThat(names(get(link(keyset, "next")))).containsExactly("t2", "t3");

        assertThat(names(asAdmin.get(list.replace("per_page=2", "per_page=500")))).hasSize(5);
        HttpResponse<String> tooFar = asAdmin.get(list + "&page=30000");
        assertThat(tooFar.statusCode()).isEqualTo(405);
        assertThat(Rest.<String>read(tooFar, "$.message")).contains("keyset");
        assertThat(asAdmin.get(list + "&cursor=not-a-cursor").statusCode()).isEqualTo(400);
    }

    @Test
    void aPageCostsTheSameStatementsWhateverItsSizeAndTheNextLinkSeeksByKeysetNotOffset() {
        User bob = fixtures.human();
        for (int i = 0; i < 25; i++) {
            tokens.issue(Actor.system(), dev.patrol.token.NewToken.personal(bob.id(), "t" + i, List.of("read_api"), null));
        }
        String list = "/personal_access_tokens?user_id=" + bob.id() + "&sort=name_asc";
        asAdmin.get(list);

        int small = SqlRecorder.selectsDuring(dsl, () -> asAdmin.get(list + "&per_page=2"));
        int large = SqlRecorder.selectsDuring(dsl, () -> asAdmin.get(list + "&per_page=20"));
        assertThat(large).as("page, scopes, last-used addresses, bounded count").isEqualTo(small).isEqualTo(4);

        String next = link(asAdmin.get(list + "&per_page=20"), "next");
        List<String> following = SqlRecorder.during(dsl, () -> assertThat(names(get(next))).hasSize(5));
        assertThat(following).noneMatch(sql -> sql.toLowerCase().contains(" offset "));
    }

    // rotating and revoking

    @Test
    void rotatingByIdIssuesASuccessorAndRevokesTheOldTokenWithTheSameAuditAsGraphQl() {
        User alice = fixtures.human();
        IssuedToken old = fixtures.pat(alice, "api");
        LocalDate expiry = tokens.today().plusDays(3);

        HttpResponse<String> rotated = asAdmin.post("/personal_access_tokens/" + old.token().id() + "/rotate",
                "{\"expires_at\": \"" + expiry + "\"}");

        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(Rest.<String>read(rotated, "$.token")).startsWith("glpat-");
        assertThat(Rest.<String>read(rotated, "$.expires_at")).isEqualTo(expiry.toString());
        assertThat(Rest.<Integer>read(rotated, "$.id")).isNotEqualTo((int) old.token().id());
        assertThat(tokens.token(old.token().id()).revokeReason()).isEqualTo("rotated");
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("token_rotated"),
                AUDIT_EVENTS.TARGET_ID.eq(old.token().id()), AUDIT_EVENTS.SOURCE.eq("api"))).isEqualTo(1);
        assertThat(Rest.as(port, old.secret()).get("/user").statusCode()).isEqualTo(401);
    }

    @Test
    void selfRotationNeedsSelfRotateOrApiAndReachesOnlyTheTokenItself() {
        User alice = fixtures.human();
        IssuedToken robot = fixtures.pat(alice, "read_api", "self_rotate");
        IssuedToken other = fixtures.pat(alice, "api");
        Rest asRobot = Rest.as(port, robot.secret());

        HttpResponse<String> refused = asRobot.post("/personal_access_tokens/" + other.token().id() + "/rotate", "{}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Rest.<String>read(refused, "$.error")).isEqualTo("insufficient_scope");
        assertThat(Rest.as(port, fixtures.pat(alice, "read_api").secret())
                .post("/personal_access_tokens/self/rotate", "").statusCode()).isEqualTo(403);

        HttpResponse<String> rotated = asRobot.post("/personal_access_tokens/self/rotate", "");
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(Rest.<List<String>>read(rotated, "$.scopes")).containsExactlyInAnyOrder("read_api", "self_rotate");
        IssuedToken again = fixtures.pat(alice, "self_rotate");
        assertThat(Rest.as(port, again.secret()).post("/personal_access_tokens/" + again.token().id() + "/rotate", "")
                .statusCode()).isEqualTo(200);
        assertThat(tokens.token(other.token().id()).isRevoked()).isFalse();
    }

    @Test
    void aRevokedValueOnARotateEndpointRevokesItsFamilyOnBothPaths() {
        User alice = fixtures.human();
        IssuedToken leaked = fixtures.pat(alice, "api");
        IssuedToken successor = tokens.rotateSelf(fixtures.actor(alice), leaked.token().id(), null);
        clock.advance(Duration.ofSeconds(6));

        HttpResponse<String> refused = Rest.from(port, 141, leaked.secret()).post("/personal_access_tokens/self/rotate", "");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(Rest.<String>read(refused, "$.error")).isEqualTo("token_revoked");
        assertThat(refused.body()).doesNotContain(leaked.secret());
        assertThat(tokens.token(successor.token().id()).revokeReason()).isEqualTo("reuse_detected");
        var event = dsl.selectFrom(AUDIT_EVENTS).where(AUDIT_EVENTS.ACTION.eq("token_reuse_detected"),
                AUDIT_EVENTS.TARGET_ID.eq(leaked.token().id())).fetchSingle();
        assertThat(event.get(AUDIT_EVENTS.ACTOR_ID)).isEqualTo(alice.id());
        assertThat(event.get(AUDIT_EVENTS.IP)).isEqualTo("127.0.0.141");
        assertThat(event.get(AUDIT_EVENTS.SOURCE)).isEqualTo("api");

        IssuedToken leaked2 = fixtures.pat(alice, "api");
        IssuedToken successor2 = tokens.rotateSelf(fixtures.actor(alice), leaked2.token().id(), null);
        clock.advance(Duration.ofSeconds(6));
        assertThat(Rest.as(port, leaked2.secret()).post("/personal_access_tokens/" + successor2.token().id()
                + "/rotate", "").statusCode()).isEqualTo(401);
        assertThat(tokens.token(successor2.token().id()).revokeReason()).isEqualTo("reuse_detected");

        IssuedToken rotatedById = fixtures.pat(alice, "api");
        IssuedToken itsSuccessor = tokens.rotate(Actor.system(), rotatedById.token().id(), null);
        clock.advance(Duration.ofSeconds(6));
        HttpResponse<String> reuse = asAdmin.post("/personal_access_tokens/" + rotatedById.token().id() + "/rotate", "");
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(Rest.<String>read(reuse, "$.message")).contains("reuse of a leaked token");
        assertThat(tokens.token(itsSuccessor.token().id()).revokeReason()).isEqualTo("reuse_detected");
    }

    @Test
    void aRevokedValueElsewhereOrWithinTheRaceWindowLeavesTheFamilyAlone() {
        User alice = fixtures.human();
        IssuedToken old = fixtures.pat(alice, "api");
        IssuedToken successor = tokens.rotateSelf(fixtures.actor(alice), old.token().id(), null);

        assertThat(Rest.as(port, old.secret()).post("/personal_access_tokens/self/rotate", "").statusCode())
                .isEqualTo(401);
        clock.advance(Duration.ofSeconds(6));
        assertThat(Rest.as(port, old.secret()).get("/personal_access_tokens/self").statusCode()).isEqualTo(401);
        assertThat(Rest.as(port, old.secret()).delete("/personal_access_tokens/self").statusCode()).isEqualTo(401);

        assertThat(tokens.token(successor.token().id()).isRevoked()).isFalse();
    }

    @Test
    void revokingByIdIs204OnceAndAnyTokenMayRevokeItself() {
        User alice = fixtures.human();
        IssuedToken target = fixtures.pat(alice, "api");

        assertThat(asAdmin.delete("/personal_access_tokens/" + target.token().id()).statusCode()).isEqualTo(204);
        assertThat(tokens.token(target.token().id()).isRevoked()).isTrue();
        HttpResponse<String> again = asAdmin.delete("/personal_access_tokens/" + target.token().id());
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(Rest.<String>read(again, "$.message")).startsWith("400 Bad request - ");

        IssuedToken profileOnly = fixtures.pat(alice, "read_user");
        Rest asProfile = Rest.as(port, profileOnly.secret());
        assertThat(asProfile.delete("/personal_access_tokens/" + fixtures.pat(alice, "api").token().id()).statusCode())
                .isEqualTo(403);
        assertThat(asProfile.delete("/personal_access_tokens/self").statusCode()).isEqualTo(204);
        assertThat(tokens.token(profileOnly.token().id()).isRevoked()).isTrue();
    }

    // scopes, sudo, ban, log

    @Test
    void eachEndpointNeedsGitLabsScope() {
        User alice = fixtures.human();
        Rest readUser = Rest.as(port, fixtures.pat(alice, "read_user").secret());
        Rest readApi = Rest.as(port, fixtures.pat(alice, "read_api").secret());

        assertThat(readUser.get("/user").statusCode()).isEqualTo(200);
        assertThat(readUser.get("/users/" + admin.id()).statusCode()).isEqualTo(200);
        HttpResponse<String> list = readUser.get("/personal_access_tokens");
        assertThat(list.statusCode()).isEqualTo(403);
        assertThat(Rest.<String>read(list, "$.error")).isEqualTo("insufficient_scope");
        assertThat(readApi.get("/personal_access_tokens").statusCode()).isEqualTo(200);
        assertThat(readApi.get("/user").statusCode()).isEqualTo(200);
        assertThat(readApi.post("/user/personal_access_tokens", "{\"name\":\"x\",\"scopes\":[\"k8s_proxy\"]}")
                .statusCode()).isEqualTo(403);

        HttpResponse<String> none = Rest.as(port, null).get("/user");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Rest.<String>read(none, "$.error")).isEqualTo("token_missing");
        assertThat(Rest.<String>read(none, "$.message")).isNotBlank();
        assertThat(Rest.as(port, "glpat-wrong").get("/user").statusCode()).isEqualTo(401);
    }

    @Test
    void sudoActsAsTheUserAndTheLogNamesBoth() {
        User alice = fixtures.human();

        HttpResponse<String> me = asAdmin.withHeader("Sudo", alice.username()).get("/user");

        assertThat(Rest.<String>read(me, "$.username")).isEqualTo(alice.username());
        assertThat(requestLog.list).anyMatch(e -> e.getFormattedMessage().contains("\"path\":\"/api/v4/user\"")
                && e.getFormattedMessage().contains("\"sudo_by\":\"" + admin.username() + "\""));
        Rest notSudo = Rest.as(port, fixtures.pat(admin, "api").secret());
        assertThat(notSudo.withHeader("Sudo", alice.username()).get("/user").statusCode()).isEqualTo(403);
        assertThat(asAdmin.withHeader("Sudo", "nobody-" + alice.username()).get("/user").statusCode()).isEqualTo(404);
    }

    @Test
    void failuresOnTheRestApiCountTowardTheSameBan() {
        Rest wrong = Rest.from(port, 140, "glpat-" + "x".repeat(32) + "000000");
        for (int i = 0; i < 30; i++) {
            assertThat(wrong.get("/user").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> banned = Rest.from(port, 140, fixtures.pat(admin, "api").secret()).get("/user");
        assertThat(banned.statusCode()).isEqualTo(403);
        assertThat(Rest.<String>read(banned, "$.error")).isEqualTo("ip_banned");
        assertThat(ApiHttp.from127(port, 140).graphql("{ currentUser { id } }", "PRIVATE-TOKEN",
                fixtures.pat(admin, "api").secret()).statusCode()).isEqualTo(403);
    }

    @Test
    void theRunnersVerifyEndpointIsNotBehindThisDoor() {
        HttpResponse<String> verify = Rest.as(port, null).post("/runners/verify", "{\"token\": \"glrt-x\"}");

        assertThat(verify.statusCode()).isNotEqualTo(401);
        assertThat(verify.body()).doesNotContain("token_missing");
    }

    // bad input

    @Test
    void badInputIsGitLabs400Or404WithAJsonMessageAndChangesNothing() {
        User alice = fixtures.human();
        String create = "/users/" + alice.id() + "/personal_access_tokens";
        long before = tokenCount(alice);

        assertMessage(asAdmin.get("/personal_access_tokens/abc"), 400, "400 Bad request - id is invalid");
        assertMessage(asAdmin.get("/personal_access_tokens/-4"), 400, "400 Bad request - id is invalid");
        assertMessage(asAdmin.post(create, "{\"scopes\": [\"api\"]}"), 400, "400 Bad request - name is missing");
        assertMessage(asAdmin.post(create, "{\"name\": \"x\"}"), 400, "400 Bad request - scopes is missing");
        assertMessage(asAdmin.post(create, "{\"name\": \"x\", \"scopes\": [\"root\"]}"), 400,
                "400 Bad request - Unknown scope 'root'.");
        assertMessage(asAdmin.post(create, "{\"name\": \"x\", \"scopes\": [\"api\"], \"expires_at\": \"2027-02-30\"}"),
                400, "400 Bad request - expires_at is invalid");
        assertMessage(asAdmin.post(create, "{\"name\": \"x\", \"scopes\": \"api\", \"expires_at\": \"1999-01-01\"}"),
                400, null);
        assertMessage(asAdmin.post(create, "{\"name\": "), 400, "400 Bad request - the body is not a JSON object");
        assertMessage(asAdmin.post(create, "{\"name\": [1], \"scopes\": [\"api\"]}"), 400,
                "400 Bad request - name is invalid");
        assertMessage(asAdmin.post("/users/999999999/personal_access_tokens", "{\"name\":\"x\",\"scopes\":[\"api\"]}"),
                404, "404 User Not Found");
        assertMessage(asAdmin.get("/personal_access_tokens?sort=sideways"), 400,
                "400 Bad request - sort does not have a valid value");
        assertMessage(asAdmin.get("/personal_access_tokens?created_after=yesterday"), 400,
                "400 Bad request - created_after is invalid");
        assertMessage(asAdmin.get("/personal_access_tokens?revoked=maybe"), 400, "400 Bad request - revoked is invalid");
        assertMessage(asAdmin.get("/no/such/endpoint"), 404, "404 Not Found");
        assertMessage(asAdmin.post("/personal_access_tokens/999999999/rotate", ""), 404,
                "404 Personal Access Token Not Found");

        assertThat(tokenCount(alice)).isEqualTo(before);
    }

    private void assertMessage(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(Rest.<String>read(response, "$.message")).isNotBlank().doesNotContain("Exception");
        if (message != null) {
            assertThat(Rest.<String>read(response, "$.message")).isEqualTo(message);
        }
    }

    private int tokenCount(User user) {
        return dsl.fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.USER_ID.eq(user.id()));
    }

    private static List<String> names(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Rest.read(response, "$[*].name");
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header"));
    }

    private static final Pattern LINK = Pattern.compile("<([^>]+)>; rel=\"([^\"]+)\"");

    private static String link(HttpResponse<String> response, String rel) {
        Matcher m = LINK.matcher(response.headers().firstValue("Link").orElse(""));
        while (m.find()) {
            if (m.group(2).equals(rel)) {
                return m.group(1);
            }
        }
        return null;
    }

    private HttpResponse<String> get(String absoluteUrl) {
        URI uri = URI.create(absoluteUrl);
        return asAdmin.http().send(HttpRequest.newBuilder(uri).GET(), "PRIVATE-TOKEN", asAdmin.token());
    }
}
