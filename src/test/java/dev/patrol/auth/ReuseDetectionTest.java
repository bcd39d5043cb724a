package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.AUDIT_EVENTS;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.TestConfig;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/**
 * GitLab's reuse detection on the request path: a revoked value presented on a rotate request revokes its family
 * (unless it lost a race within the concurrency window), and is answered 401 {@code token_revoked} either way.
 */
@dev.patrol.support.PatrolTest
class ReuseDetectionTest {

    // language=GraphQL
    private static final String ROTATE_INLINE = """
            mutation { accessTokenRotate(input: {id: "%s"}) { token errors } }""";
    // language=GraphQL
    private static final String ROTATE_ALIASED_FROM_INVENTORY = """
            mutation($id: ID!) { mine: credentialRotate(input: {id: $id}) { errors } }""";
    // language=GraphQL
    private static final String ROTATE_THROUGH_FRAGMENT = """
            mutation Rotate($id: ID!) { ...R }
            fragment R on Mutation { accessTokenRotate(input: {id: $id}) { errors } }""";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    @BeforeEach
    void reset() {
        clock.set(TestConfig.START);
    }

    @Test
    void aRevokedValueRotatingItselfRevokesItsSuccessorAndIsRefused() {
        User user = fixtures.human();
        IssuedToken leaked = fixtures.pat(user, "self_rotate");
        IssuedToken successor = tokens.rotateSelf(fixtures.actor(user), leaked.token().id(), null);
        clock.advance(Duration.ofSeconds(6));

        HttpResponse<String> response = ApiHttp.from127(port, 71)
                .graphql(ROTATE_INLINE.formatted(gid(leaked)), "PRIVATE-TOKEN", leaked.secret());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("token_revoked").doesNotContain(leaked.secret());
        assertThat(tokens.token(successor.token().id()).revokeReason()).isEqualTo("reuse_detected");
        Record event = reuseEvent(leaked);
        assertThat(event.get(AUDIT_EVENTS.SOURCE)).isEqualTo("api");
        assertThat(event.get(AUDIT_EVENTS.ACTOR_ID)).isEqualTo(user.id());
        assertThat(event.get(AUDIT_EVENTS.IP)).isEqualTo("127.0.0.71");
    }

    @Test
    void anyRotateOfAnyIdUnderAnAliasOrThroughVariablesOrAFragmentCounts() {
        User user = fixtures.human();
        IssuedToken other = fixtures.pat(user, "api");
        for (String document : List.of(ROTATE_ALIASED_FROM_INVENTORY, ROTATE_THROUGH_FRAGMENT)) {
            IssuedToken leaked = fixtures.pat(user, "api");
            IssuedToken successor = tokens.rotate(fixtures.actor(user), leaked.token().id(), null);
            clock.advance(Duration.ofMinutes(1));

            HttpResponse<String> response = ApiHttp.from127(port, 72).postJson("/graphql",
                    "{\"query\":" + ApiHttp.jsonString(document) + ",\"variables\":{\"id\":\"" + gid(other) + "\"}}",
                    "Authorization", "Bearer " + leaked.secret());

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(tokens.token(successor.token().id()).revokeReason()).as(document).isEqualTo("reuse_detected");
        }
    }

    @Test
    void withinTheConcurrencyWindowTheRevokedValueIsARaceLoserNotReuse() {
        User user = fixtures.human();
        IssuedToken shared = fixtures.pat(user, "api");
        IssuedToken winner = tokens.rotateSelf(fixtures.actor(user), shared.token().id(), null);
        clock.advance(Duration.ofSeconds(4));

        HttpResponse<String> response = ApiHttp.from127(port, 73)
                .graphql(ROTATE_INLINE.formatted(gid(shared)), "PRIVATE-TOKEN", shared.secret());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("token_revoked");
        assertThat(tokens.token(winner.token().id()).isRevoked()).isFalse();
        assertThat(reuseEvents(shared)).isZero();
    }

    @Test
    void aRevokedValueOnAnyOtherRequestLeavesTheFamilyAlone() {
        User user = fixtures.human();
        IssuedToken old = fixtures.pat(user, "api");
        IssuedToken successor = tokens.rotateSelf(fixtures.actor(user), old.token().id(), null);
        clock.advance(Duration.ofMinutes(1));

        ApiHttp http = ApiHttp.from127(port, 74);
        assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", old.secret()).statusCode()).isEqualTo(401);
        assertThat(http.graphql("mutation { accessTokenRevoke(input: {id: \"" + gid(successor) + "\"}) { errors } }",
                "PRIVATE-TOKEN", old.secret()).statusCode()).isEqualTo(401);
        assertThat(tokens.token(successor.token().id()).isRevoked()).isFalse();
        assertThat(reuseEvents(old)).isZero();
    }

    @Test
    void aProjectAccessTokensFamilyIsRevokedLikeAPersonalOne() {
        User maintainer = fixtures.human();
        Project project = fixtures.project(fixtures.group());
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        Actor actor = fixtures.actor(maintainer);
        IssuedToken leaked = tokens.issue(actor, new NewToken(TokenType.PROJECT, "ci", null, List.of("api"), null,
                null, project.id(), null, null, null, null));
        IssuedToken successor = tokens.rotate(actor, leaked.token().id(), null);
        clock.advance(Duration.ofMinutes(1));

        HttpResponse<String> response = ApiHttp.from127(port, 75)
                .graphql(ROTATE_INLINE.formatted(gid(leaked)), "PRIVATE-TOKEN", leaked.secret());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(tokens.token(successor.token().id()).revokeReason()).isEqualTo("reuse_detected");
        assertThat(reuseEvent(leaked).get(AUDIT_EVENTS.ACTOR_ID)).isEqualTo(leaked.token().userId());
    }

    private static String gid(IssuedToken token) {
        return "gid://patrol/" + token.token().reference();
    }

    private Record reuseEvent(IssuedToken token) {
        return dsl.selectFrom(AUDIT_EVENTS).where(AUDIT_EVENTS.ACTION.eq("token_reuse_detected"),
                AUDIT_EVENTS.TARGET_ID.eq(token.token().id())).fetchSingle();
    }

    private int reuseEvents(IssuedToken token) {
        return dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("token_reuse_detected"),
                AUDIT_EVENTS.TARGET_ID.eq(token.token().id()));
    }
}
