package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKEN_SCOPE_USAGE;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenRepository;

@PatrolTest
class UsageTrackingTest {

    // language=GraphQL
    static final String QUERY = "{ currentUser { username } }";
    static final LocalDateTime START = LocalDateTime.ofInstant(TestConfig.START, ZoneOffset.UTC);

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired MutableClock clock;
    @Autowired UsageBuffer usage;
    @Autowired TokenRepository tokens;
    @Autowired DSLContext dsl;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
    }

    @AfterEach
    void resetClock() {
        clock.set(TestConfig.START);
    }

    @Test
    void usageIsBufferedAndWrittenOnFlush() {
        IssuedToken token = fixtures.pat(fixtures.human(), "read_api", "api");
        ApiHttp http = ApiHttp.from127(port, 31);

        assertThat(http.graphql(QUERY, "PRIVATE-TOKEN", token.secret()).statusCode()).isEqualTo(200);
        assertThat(lastUsedAt(token)).isNull();

        usage.flush();

        assertThat(lastUsedAt(token)).isEqualTo(START);
        assertThat(tokens.lastUsedIps(java.util.List.of(id(token))).get(id(token))).containsExactly("127.0.0.31");
        assertThat(scopesUsed(token)).containsExactly("read_api");
    }

    @Test
    void mutationsRecordTheApiScope() {
        IssuedToken token = fixtures.pat(fixtures.human(), "read_api", "api");

        ApiHttp.from127(port, 32).graphql("mutation { noop }", "PRIVATE-TOKEN", token.secret());
        usage.flush();

        assertThat(scopesUsed(token)).containsExactly("api");
    }

    @Test
    void lastUsedTimeIsWrittenAtMostEveryTenMinutes() {
        IssuedToken token = fixtures.pat(fixtures.human(), "read_api");
        ApiHttp http = ApiHttp.from127(port, 33);
        http.graphql(QUERY, "PRIVATE-TOKEN", token.secret());
        usage.flush();

        clock.advance(Duration.ofMinutes(9));
        http.graphql(QUERY, "PRIVATE-TOKEN", token.secret());
        usage.flush();
        assertThat(lastUsedAt(token)).isEqualTo(START);

        clock.advance(Duration.ofMinutes(1));
        http.graphql(QUERY, "PRIVATE-TOKEN", token.secret());
        usage.flush();
        assertThat(lastUsedAt(token)).isEqualTo(START.plusMinutes(10));
    }

    @Test
    void theLastFiveDistinctAddressesAreKept() {
        IssuedToken token = fixtures.pat(fixtures.human(), "read_api");
        for (int octet = 41; octet <= 47; octet++) {
            ApiHttp.from127(port, octet).graphql(QUERY, "PRIVATE-TOKEN", token.secret());
            clock.advance(Duration.ofMinutes(1));
            usage.flush();
        }
        ApiHttp.from127(port, 44).graphql(QUERY, "PRIVATE-TOKEN", token.secret());
        usage.flush();

        assertThat(tokens.lastUsedIps(java.util.List.of(id(token))).get(id(token)))
                .containsExactly("127.0.0.44", "127.0.0.47", "127.0.0.46", "127.0.0.45", "127.0.0.43");
    }

    @Test
    void anAddressIsRewrittenAtMostEveryMinute() {
        IssuedToken token = fixtures.pat(fixtures.human(), "read_api");
        ApiHttp first = ApiHttp.from127(port, 51);
        ApiHttp second = ApiHttp.from127(port, 52);
        first.graphql(QUERY, "PRIVATE-TOKEN", token.secret());
        clock.advance(Duration.ofSeconds(10));
        second.graphql(QUERY, "PRIVATE-TOKEN", token.secret());
        clock.advance(Duration.ofSeconds(10));
        first.graphql(QUERY, "PRIVATE-TOKEN", token.secret());
        usage.flush();

        assertThat(tokens.lastUsedIps(java.util.List.of(id(token))).get(id(token)))
                .containsExactly("127.0.0.52", "127.0.0.51");
    }

    private static long id(IssuedToken token) {
        return token.token().id();
    }

    private LocalDateTime lastUsedAt(IssuedToken token) {
        return tokens.findById(id(token)).orElseThrow().lastUsedAt();
    }

    private java.util.List<String> scopesUsed(IssuedToken token) {
        return dsl.select(ACCESS_TOKEN_SCOPE_USAGE.SCOPE).from(ACCESS_TOKEN_SCOPE_USAGE)
                .where(ACCESS_TOKEN_SCOPE_USAGE.TOKEN_ID.eq(id(token))).fetch(ACCESS_TOKEN_SCOPE_USAGE.SCOPE);
    }
}
