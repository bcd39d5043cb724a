package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.shared.GlobalId;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.Introspect;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.token.ExpiryRule;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/**
 * Every one of the fifteen types answers introspection with its claims while active, and exactly
 * {@code {"active": false}} once revoked or expired. Calls come from 127.0.0.130.
 */
@PatrolTest
class IntrospectionOfEveryTypeTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired OwnerService owners;
    @Autowired MutableClock clock;

    User admin;
    Actor actor;
    Group group;
    Project project;
    Introspect introspect;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
        admin = fixtures.admin();
        actor = fixtures.actor(admin);
        group = fixtures.group();
        project = fixtures.project(group);
        introspect = Introspect.withBearer(ApiHttp.from127(port, 130), fixtures.pat(admin, "api").secret());
    }

    @AfterEach
    void resetClock() {
        clock.set(TestConfig.START);
    }

    @ParameterizedTest
    @EnumSource(TokenType.class)
    void anActiveTokenAnswersItsClaimsAndARevokedOneOnlyThatItIsNotActive(TokenType type) {
        IssuedToken issued = issue(type, type.expires() ? tokens.today().plusDays(30) : null);

        Map<String, Object> answer = introspect.token(issued.secret());

        assertThat(answer).containsEntry("active", true).containsEntry("token_type", "bearer")
                .containsEntry("patrol_token_type", type.name())
                .containsEntry("jti", GlobalId.of(type.modelName(), issued.token().id()))
                .containsAllEntriesOf(expectedHolderClaims(type, issued));
        assertThat(((Number) answer.get("iat")).longValue())
                .isEqualTo(issued.token().createdAt().toEpochSecond(ZoneOffset.UTC));
        if (type.expires()) {
            assertThat(((Number) answer.get("exp")).longValue())
                    .isEqualTo(tokens.today().plusDays(30).atStartOfDay().toEpochSecond(ZoneOffset.UTC));
        } else {
            assertThat(answer).doesNotContainKey("exp");
        }
        if (type.hasScopes()) {
            assertThat(answer.get("scope")).isEqualTo(type == TokenType.DEPLOY ? "read_repository" : "read_api");
        } else {
            assertThat(answer).doesNotContainKey("scope");
        }

        tokens.revoke(actor, issued.token().id());

        assertThat(introspect.token(issued.secret())).isEqualTo(Map.of("active", false));
    }

    @ParameterizedTest
    @EnumSource(TokenType.class)
    void aTokenStopsBeingActiveAtMidnightUtcOnItsExpiryDateAndOneThatNeverExpiresStaysActive(TokenType type) {
        LocalDate expiresAt = type.expires() ? tokens.today().plusDays(2) : null;
        IssuedToken issued = issue(type, expiresAt);
        assertThat(introspect.token(issued.secret())).containsEntry("active", true);

        clock.set(TestConfig.START.plus(Duration.ofDays(2)).minusSeconds(12 * 3600 + 1));
        assertThat(introspect.token(issued.secret())).containsEntry("active", true);
        clock.set(TestConfig.START.plus(Duration.ofDays(2)).minusSeconds(12 * 3600));

        if (type.expiry() == ExpiryRule.NEVER) {
            clock.advance(Duration.ofDays(300));
            assertThat(introspect.token(issued.secret())).containsEntry("active", true);
        } else {
            assertThat(introspect.token(issued.secret())).isEqualTo(Map.of("active", false));
        }
    }

    private IssuedToken issue(TokenType type, LocalDate expiresAt) {
        User user = fixtures.human();
        List<String> scopes = switch (type) {
            case PERSONAL, IMPERSONATION, PROJECT, GROUP -> List.of("read_api");
            case DEPLOY -> List.of("read_repository");
            default -> null;
        };
        return switch (type.holder()) {
            case USER -> tokens.issue(actor, new NewToken(type, "t", null, scopes, expiresAt, user.id(), null, null,
                    null, null, null));
            case PROJECT_BOT, PROJECT, PROJECT_OR_GROUP -> tokens.issue(actor, new NewToken(type, "t", null, scopes,
                    expiresAt, null, project.id(), null, null, type.hasRole() ? 30 : null, null));
            case GROUP_BOT, TOP_LEVEL_GROUP -> tokens.issue(actor, new NewToken(type, "t", null, scopes, expiresAt,
                    null, null, group.id(), null, type.hasRole() ? 30 : null, null));
            case RESOURCE -> type == TokenType.CI_JOB
                    ? tokens.startCiJob(actor, project.id(), "rspec").token()
                    : tokens.issue(actor, new NewToken(type, "t", null, scopes, expiresAt, null, null, null,
                            resource(type.resourceKind()).id(), null, null));
        };
    }

    private Resource resource(ResourceKind kind) {
        return owners.createResource(actor, kind, "r", project.id(), null, null);
    }

    /** Who holds the token, as a resource server needs it, restated per type. */
    private Map<String, Object> expectedHolderClaims(TokenType type, IssuedToken issued) {
        var token = issued.token();
        String projectId = GlobalId.of("Project", project.id());
        String groupId = GlobalId.of("Group", group.id());
        return switch (type) {
            case PERSONAL, IMPERSONATION, FEED, INCOMING_MAIL -> Map.of("sub", GlobalId.of("User", token.userId()),
                    "holder", GlobalId.of("User", token.userId()),
                    "username", owners.user(token.userId()).username());
            case PROJECT -> Map.of("sub", GlobalId.of("User", token.userId()), "holder", projectId,
                    "project", projectId, "access_level", 30, "username", owners.user(token.userId()).username());
            case GROUP -> Map.of("sub", GlobalId.of("User", token.userId()), "holder", groupId, "group", groupId,
                    "access_level", 30, "username", owners.user(token.userId()).username());
            case DEPLOY -> Map.of("sub", projectId, "holder", projectId, "project", projectId,
                    "username", "gitlab+deploy-token-" + token.id());
            case PIPELINE_TRIGGER, FEATURE_FLAGS_CLIENT -> Map.of("sub", projectId, "holder", projectId,
                    "project", projectId);
            case SCIM -> Map.of("sub", groupId, "holder", groupId, "group", groupId);
            case CI_JOB -> Map.of("sub", GlobalId.of("CiJob", token.resourceId()), "job",
                    GlobalId.of("CiJob", token.resourceId()), "project", projectId,
                    "user", GlobalId.of("User", admin.id()), "username", admin.username());
            case RUNNER_AUTHENTICATION, OAUTH_APPLICATION_SECRET, CLUSTER_AGENT, WORKSPACE -> {
                String holder = GlobalId.of(OwnerService.modelName(type.resourceKind()), token.resourceId());
                yield Map.of("sub", holder, "holder", holder, "project", projectId);
            }
        };
    }
}
