package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.AUDIT_EVENTS;
import static patrol.jooq.Tables.DOWNLOAD_TICKETS;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.owner.User;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain link can export the inventory with a ticket: once, within 60 seconds, with the issuing token's rights. */
@PatrolTest
class DownloadTicketTest {

    static final String CREATE = "mutation { downloadTicketCreate { ticket expiresAt errors } }";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    final JsonMapper json = JsonMapper.builder().build();
    ApiHttp http;
    User admin;
    IssuedToken adminToken;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
        http = ApiHttp.from127(port, 171);
        admin = fixtures.admin();
        adminToken = fixtures.pat(admin, "api");
    }

    String ticket(IssuedToken token) {
        HttpResponse<String> response = http.graphql(CREATE, "PRIVATE-TOKEN", token.secret());
        JsonNode payload = json.readTree(response.body()).path("data").path("downloadTicketCreate");
        assertThat(payload.path("errors").size()).isZero();
        return payload.path("ticket").asString();
    }

    @Test
    void aTicketExportsOnceWithoutTheTokenHeaderAndIsKeptOnlyAsADigest() {
        String ticket = ticket(adminToken);

        HttpResponse<String> first = http.get("/inventory/export?format=csv&types=PERSONAL&ticket=" + ticket);
        HttpResponse<String> second = http.get("/inventory/export?format=csv&types=PERSONAL&ticket=" + ticket);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                v -> assertThat(v).contains("attachment"));
        assertThat(first.body()).startsWith("kind,id,type,name").contains(adminToken.token().name());
        assertThat(second.statusCode()).isEqualTo(401);
        assertThat(second.body()).contains("ticket_invalid").doesNotContain(ticket);
        List<byte[]> stored = dsl.select(DOWNLOAD_TICKETS.DIGEST).from(DOWNLOAD_TICKETS)
                .where(DOWNLOAD_TICKETS.TOKEN_ID.eq(adminToken.token().id())).fetch(DOWNLOAD_TICKETS.DIGEST);
        assertThat(stored).hasSize(1);
        assertThat(new String(stored.get(0), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(ticket);
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("download_ticket_issued")
                .and(AUDIT_EVENTS.ACTOR_ID.eq(admin.id())))).isEqualTo(1);
    }

    @Test
    void aTicketExpiresAfterSixtySeconds() {
        String ticket = ticket(adminToken);
        clock.advance(Duration.ofSeconds(61));

        HttpResponse<String> late = http.get("/inventory/export?format=csv&ticket=" + ticket);

        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(json.readTree(late.body()).path("message").asString()).contains("expired");
    }

    @Test
    void aTicketOfATokenRevokedSinceIsRefused() {
        String ticket = ticket(adminToken);
        tokens.revoke(fixtures.actor(admin), adminToken.token().id());

        HttpResponse<String> response = http.get("/inventory/export?format=csv&ticket=" + ticket);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("revoked");
    }

    @Test
    void anUnknownTicketIsRefusedAndTheExportStillNeedsATokenWithoutOne() {
        assertThat(http.get("/inventory/export?format=csv&ticket=pdt-made-up").statusCode()).isEqualTo(401);
        assertThat(http.get("/inventory/export?format=csv").statusCode()).isEqualTo(401);
    }

    @Test
    void theExportByTicketHasTheIssuingTokensRightsOnly() {
        User someone = fixtures.human();
        String ticket = ticket(fixtures.pat(someone, "api"));

        HttpResponse<String> response = http.get("/inventory/export?format=csv&ticket=" + ticket);

        assertThat(response.statusCode()).isEqualTo(403);
    }
}
