package dev.patrol.expiry;

import static dev.patrol.expiry.ExpiryFixtures.setDay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenSecrets;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

@PatrolTest
class TokenCalendarTest {

    private static final String PATH = "/-/user_settings/personal_access_tokens.ics";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired MutableClock clock;

    @Test
    void theFeedListsActiveTokenExpiryDatesAsAllDayEvents() {
        LocalDate today = LocalDate.of(2034, 1, 10);
        setDay(clock, today, 12);
        User user = fixtures.human();
        IssuedToken soon = fixtures.pat(user, LocalDate.of(2034, 2, 1), "api");
        String longName = "deploy bot, for the; \"nightly\" build " + "x".repeat(80);
        IssuedToken later = tokens.issue(Actor.system(), NewToken.personal(user.id(), longName, List.of("read_api"),
                LocalDate.of(2034, 6, 30)));
        IssuedToken revoked = fixtures.pat(user, LocalDate.of(2034, 3, 1), "api");
        tokens.revoke(Actor.system(), revoked.token().id());
        IssuedToken feed = feedToken(user);

        String ics = client().get().uri(PATH + "?feed_token={t}", feed.secret()).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/calendar")
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(ics).startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:").endsWith("END:VCALENDAR\r\n");
        assertThat(ics.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        assertThat(Arrays.stream(ics.split("\r\n"))).allSatisfy(
                line -> assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(75));
        String unfolded = ics.replace("\r\n ", "");
        assertThat(unfolded.split("BEGIN:VEVENT", -1)).hasSize(3);
        assertThat(unfolded).contains("UID:personal-access-token-" + soon.token().id() + "-20340201@patrol\r\n",
                "DTSTART;VALUE=DATE:20340201\r\nDTEND;VALUE=DATE:20340202\r\n",
                "DTSTART;VALUE=DATE:20340630\r\n", "DTSTAMP:20340110T120000Z\r\n",
                "SUMMARY:Personal access token '" + soon.token().name() + "' expires\r\n",
                "deploy bot\\, for the\\; \"nightly\" build")
                .doesNotContain(revoked.token().name())
                .doesNotContain(later.secret()).doesNotContain(feed.secret());
        assertThat(unfolded.indexOf("20340201")).isLessThan(unfolded.indexOf("20340630"));
    }

    @Test
    void onlyAValidFeedTokenOpensTheFeed() {
        User user = fixtures.human();
        IssuedToken pat = fixtures.pat(user, "api");
        IssuedToken feed = feedToken(user);
        tokens.revoke(Actor.system(), feed.token().id());

        client().get().uri(PATH).exchange().expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED);
        client().get().uri(PATH + "?feed_token=glft-nonsense").exchange().expectStatus()
                .isEqualTo(HttpStatus.UNAUTHORIZED).expectBody(String.class)
                .value(body -> assertThat(body).doesNotContain("nonsense"));
        client().get().uri(PATH + "?feed_token={t}", feed.secret()).exchange().expectStatus()
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        client().get().uri(PATH + "?feed_token={t}", pat.secret()).exchange().expectStatus()
                .isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void anAddressTheApiBannedIsRefusedByTheFeed() {
        IssuedToken feed = feedToken(fixtures.human());
        ApiHttp http = ApiHttp.from127(port, 121);
        assertThat(http.get(PATH + "?feed_token=" + feed.secret()).statusCode()).isEqualTo(200);
        for (int i = 0; i < 30; i++) {
            assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", "glpat-wrong").statusCode())
                    .isEqualTo(401);
        }

        HttpResponse<String> banned = http.get(PATH + "?feed_token=" + feed.secret());
        assertThat(banned.statusCode()).isEqualTo(403);
        assertThat(banned.body()).doesNotContain("BEGIN:VCALENDAR");
    }

    @Test
    void feedFailuresCountTowardTheBan() {
        IssuedToken good = fixtures.pat(fixtures.human(), "read_api");
        ApiHttp http = ApiHttp.from127(port, 122);
        for (int i = 0; i < 30; i++) {
            String value = i % 2 == 0 ? TokenSecrets.generate(TokenType.FEED) : "glft-wrong";
            assertThat(http.get(PATH + "?feed_token=" + value).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> api = http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", good.secret());
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(api.body()).contains("ip_banned");
        assertThat(http.get(PATH + "?feed_token=" + feedToken(fixtures.human()).secret()).statusCode())
                .isEqualTo(403);
    }

    @Test
    void feedRequestsAreInTheRequestLogWithoutTheToken() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger("patrol.api");
        appender.start();
        logger.addAppender(appender);
        try {
            User user = fixtures.human();
            IssuedToken feed = feedToken(user);
            ApiHttp http = ApiHttp.from127(port, 123);
            String wrong = TokenSecrets.generate(TokenType.FEED);

            http.get(PATH + "?feed_token=" + wrong);
            http.get(PATH + "?feed_token=" + feed.secret());

            // the line is written as the filter returns, which can be just after the client has the response
            List<String> lines = await().until(() -> appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains("127.0.0.123")).toList(), found -> found.size() == 2);
            assertThat(lines.getFirst()).contains("\"path\":\"" + PATH + "\"", "\"status\":401",
                    "\"meta.auth_fail_reason\":\"token_invalid\"");
            assertThat(lines.getLast()).contains("\"status\":200", "\"username\":\"" + user.username() + "\"",
                    "\"token_id\":\"FeedToken/" + feed.token().id() + "\"");
            assertThat(String.join("\n", lines)).doesNotContain(wrong).doesNotContain(feed.secret());
        } finally {
            logger.detachAppender(appender);
        }
    }

    private IssuedToken feedToken(User user) {
        return tokens.issue(Actor.system(), new NewToken(TokenType.FEED, null, null, List.of(), null, user.id(), null,
                null, null, null, null));
    }

    private RestTestClient client() {
        return RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }
}
