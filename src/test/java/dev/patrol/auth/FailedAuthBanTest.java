package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.AUTH_FAILURES;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.jayway.jsonpath.JsonPath;

import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.token.TokenSecrets;
import dev.patrol.token.TokenType;

/** Each test calls from a loopback address of its own (127.0.0.x); 127.0.0.1 is allowlisted in the test config. */
@PatrolTest
class FailedAuthBanTest {

    // language=GraphQL
    static final String QUERY = "{ currentUser { username } }";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    String good;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
        good = fixtures.pat(fixtures.human(), "read_api").secret();
    }

    @AfterEach
    void resetClock() {
        clock.set(TestConfig.START);
    }

    @Test
    void thirtyFailuresWithinThreeMinutesBanTheAddressForAnHour() {
        ApiHttp http = ApiHttp.from127(port, 10);
        fail(http, 29);
        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", good).statusCode()).isEqualTo(200);
        fail(http, 29);
        clock.advance(Duration.ofMinutes(2));
        fail(http, 1);

        HttpResponse<String> banned = http.graphql(QUERY, "PRIVATE-TOKEN", good);
        assertThat(banned.statusCode()).isEqualTo(403);
        assertThat((String) JsonPath.read(banned.body(), "$.error")).isEqualTo("ip_banned");
        assertThat(ApiHttp.from127(port, 11).graphql(QUERY, "PRIVATE-TOKEN", good).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(59));
        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", good).statusCode()).isEqualTo(403);
        clock.advance(Duration.ofMinutes(1));
        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", good).statusCode()).isEqualTo(200);
    }

    @Test
    void aSuccessResetsTheCount() {
        ApiHttp http = ApiHttp.from127(port, 12);
        fail(http, 29);
        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", good).statusCode()).isEqualTo(200);
        fail(http, 29);

        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", good).statusCode()).isEqualTo(200);
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        ApiHttp http = ApiHttp.from127(port, 13);
        fail(http, 29);
        clock.advance(Duration.ofMinutes(3).plusSeconds(1));
        fail(http, 29);

        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", good).statusCode()).isEqualTo(200);
    }

    @Test
    void allowlistedAddressesAreNeverBanned() {
        ApiHttp http = new ApiHttp(port, "127.0.0.1");
        fail(http, 31);

        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", good).statusCode()).isEqualTo(200);
    }

    @Test
    void missingTokensAreNotFailedAttempts() {
        ApiHttp http = ApiHttp.from127(port, 14);
        for (int i = 0; i < 31; i++) {
            assertThat(http.graphql(QUERY).statusCode()).isEqualTo(401);
        }

        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", good).statusCode()).isEqualTo(200);
    }

    @Test
    void theBanLivesInTheDatabaseSoEveryInstanceSeesIt() {
        ApiHttp http = ApiHttp.from127(port, 15);
        fail(http, 30);

        FailedAuthBan otherInstance = new FailedAuthBan(dsl, clock, new AuthProperties(Duration.ofSeconds(5),
                new AuthProperties.Ban(true, 30, Duration.ofMinutes(3), Duration.ofHours(1), List.of()),
                new AuthProperties.Usage(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(1))));
        assertThat(otherInstance.isBanned("127.0.0.15")).isTrue();
        assertThat(otherInstance.isBanned("127.0.0.16")).isFalse();
    }

    @Test
    void pruningForgetsFinishedWindowsAndBansButKeepsCurrentOnes() {
        ApiHttp counting = ApiHttp.from127(port, 17);
        ApiHttp banned = ApiHttp.from127(port, 18);
        fail(banned, 30);
        clock.advance(Duration.ofMinutes(5));
        fail(counting, 29);
        FailedAuthBan bans = new FailedAuthBan(dsl, clock, new AuthProperties(Duration.ZERO,
                new AuthProperties.Ban(true, 30, Duration.ofMinutes(3), Duration.ofHours(1), List.of()),
                new AuthProperties.Usage(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(1))));

        bans.prune();
        assertThat(bans.isBanned("127.0.0.18")).isTrue();
        fail(counting, 1);
        assertThat(bans.isBanned("127.0.0.17")).isTrue();

        clock.advance(Duration.ofHours(2));
        bans.prune();
        assertThat(dsl.fetchCount(AUTH_FAILURES, AUTH_FAILURES.IP.in("127.0.0.17", "127.0.0.18"))).isZero();
    }

    /** Failed attempts: well-formed values that match no token, and malformed ones. */
    private static void fail(ApiHttp http, int times) {
        for (int i = 0; i < times; i++) {
            String value = i % 2 == 0 ? TokenSecrets.generate(TokenType.PERSONAL) : "glpat-wrong";
            assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", value).statusCode()).isEqualTo(401);
        }
    }
}
