package dev.patrol.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.patrol.expiry.NotificationOutbox;
import dev.patrol.expiry.OutboxSender;
import dev.patrol.owner.User;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenReuseDetectedException;
import dev.patrol.token.TokenService;

/**
 * After a short workload (requests that pass and fail, a ban, tokens issued, rotated, revoked and reused, a notice
 * queued and sent, an export), the scrape on the management port shows every metric an operator's dashboards and
 * alerts use, and no token value. The ban comes from 127.0.0.161.
 */
@PatrolTest
class MetricsScrapeTest {

    @LocalServerPort int port;
    @LocalManagementPort int managementPort;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired NotificationOutbox outbox;
    @Autowired OutboxSender sender;
    @Autowired StoredStateGauges storedState;
    @Autowired PlatformTransactionManager transactions;
    @Autowired MutableClock clock;

    @Test
    void theScrapeShowsTheMetricsAfterAWorkloadAndNoTokenValue() {
        User admin = fixtures.admin();
        IssuedToken adminToken = fixtures.pat(admin, "api");
        List<String> secrets = new ArrayList<>(List.of(adminToken.secret()));
        ApiHttp api = new ApiHttp(port, "127.0.0.1");
        api.graphql("query MetricsProbe { currentUser { username } }", "PRIVATE-TOKEN", adminToken.secret());
        api.get("/inventory/export?format=csv&types=PERSONAL", "PRIVATE-TOKEN", adminToken.secret());
        ApiHttp attacker = ApiHttp.from127(port, 161);
        for (int i = 0; i <= 30; i++) {
            attacker.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", "glpat-not-a-token-" + i);
        }
        IssuedToken rotated = fixtures.pat(fixtures.human(), "read_api");
        secrets.add(tokens.rotate(fixtures.system(), rotated.token().id(), null).secret());
        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(() -> tokens.rotate(fixtures.system(), rotated.token().id(), null))
                .isInstanceOf(TokenReuseDetectedException.class);
        IssuedToken leaked = fixtures.pat(fixtures.human(), "read_api");
        tokens.revoke(fixtures.system(), leaked.token().id());
        assertThatThrownBy(() -> tokens.rotate(fixtures.system(), leaked.token().id(), null))
                .isInstanceOf(TokenReuseDetectedException.class);
        secrets.add(rotated.secret());
        secrets.add(leaked.secret());
        new TransactionTemplate(transactions).executeWithoutResult(tx -> outbox.enqueueMail("token_expiring",
                "ops-metrics@example.com", admin.id(), "Your token expires", "Rotate it."));
        sender.deliverDue();
        storedState.refresh();

        HttpResponse<String> scrape = new ApiHttp(managementPort, "127.0.0.1").get("/actuator/prometheus",
                "Authorization", "Bearer " + ManagementPortTest.TOKEN);

        assertThat(scrape.statusCode()).isEqualTo(200);
        String metrics = scrape.body();
        System.out.println("Scrape after the workload (patrol_*, graphql_request_*, hikaricp_connections):");
        metrics.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> l.startsWith("patrol_") || l.startsWith("graphql_request_seconds_count")
                        || l.startsWith("hikaricp_connections{") || l.startsWith("hikaricp_connections_active"))
                .forEach(System.out::println);
        assertThat(metrics)
                .contains("patrol_authentications_total{application=\"patrol\",outcome=\"success\",reason=\"none\"}")
                .contains("outcome=\"failure\",reason=\"token_malformed\"")
                .contains("outcome=\"failure\",reason=\"ip_banned\"")
                .contains("patrol_auth_bans_total")
                .contains("patrol_auth_bans_active")
                .contains("patrol_tokens_issued_total{application=\"patrol\",type=\"personal\"}")
                .contains("patrol_tokens_rotated_total{application=\"patrol\",renewal=\"rotate\",type=\"personal\"}")
                .contains("patrol_tokens_revoked_total{application=\"patrol\",reason=\"rotated\",type=\"personal\"}")
                .contains("patrol_tokens_revoked_total{application=\"patrol\",reason=\"reuse_detected\",type=\"personal\"}")
                .contains("patrol_token_reuse_detections_total{application=\"patrol\",path=\"rotate_revoked\",type=\"personal\"}")
                .contains("patrol_notices_queued_total{application=\"patrol\",channel=\"email\",kind=\"token_expiring\"}")
                .contains("patrol_notices_sent_total{application=\"patrol\",channel=\"email\"}")
                .contains("patrol_notices_failed_total{application=\"patrol\",channel=\"webhook\",final=\"true\"}")
                .contains("patrol_outbox_backlog")
                .contains("patrol_outbox_oldest_age_seconds")
                .contains("patrol_inventory_export_rows_total{application=\"patrol\",format=\"csv\"}")
                .contains("patrol_api_log_dropped_total")
                .contains("graphql_request_seconds_count{application=\"patrol\",error=\"none\","
                        + "graphql_operation_name=\"MetricsProbe\",graphql_operation_type=\"query\","
                        + "graphql_outcome=\"SUCCESS\"}")
                .contains("hikaricp_connections_active")
                .contains("http_server_requests_seconds")
                // no long task timer is started per request: the budget's warm path pays for the timer alone
                .doesNotContain("http_server_requests_active_seconds")
                .doesNotContain("graphql_request_active_seconds");
        for (String secret : secrets) {
            assertThat(metrics).doesNotContain(secret).doesNotContain(secret.substring(6, 20));
        }
        assertThat(value(metrics, "patrol_auth_bans_active{")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "patrol_notices_sent_total{application=\"patrol\",channel=\"email\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    static double value(String scrape, String prefix) {
        return scrape.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElseThrow();
    }
}
