package dev.patrol.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.support.ApiHttp;
import dev.patrol.support.PatrolTest;

/**
 * The management port as a load balancer, a scraper and a stranger see it: the probes open, everything else behind
 * the static token and the address allowlist (loopback by default; 127.0.0.160 is outside it), and nothing of it on
 * the public port.
 */
@PatrolTest
class ManagementPortTest {

    static final String TOKEN = "test-management-token";

    @LocalServerPort int port;
    @LocalManagementPort int managementPort;

    ApiHttp management() {
        return new ApiHttp(managementPort, "127.0.0.1");
    }

    @Test
    void theProbesAreOpenAndTellOnlyTheStatus() {
        HttpResponse<String> liveness = management().get("/actuator/health/liveness");
        HttpResponse<String> readiness = management().get("/actuator/health/readiness");

        assertThat(managementPort).isNotEqualTo(port);
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void withTheTokenReadinessShowsTheDatabaseAndTheMigrations() {
        HttpResponse<String> readiness = management().get("/actuator/health/readiness",
                "Authorization", "Bearer " + TOKEN);

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"db\"").contains("\"flyway\"").contains("\"readinessState\"");
    }

    @Test
    void infoShowsTheBuildAndTheCommitToTheTokenHolder() {
        HttpResponse<String> info = management().get("/actuator/info", "Authorization", "Bearer " + TOKEN);

        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("\"build\"").contains("\"artifact\":\"patrol\"").contains("\"version\"");
        if (getClass().getResource("/git.properties") != null) {
            assertThat(info.body()).contains("\"git\"").contains("\"commit\"");
        }
    }

    @Test
    void withoutTheRightTokenTheScrapeIs401WithNoData() {
        HttpResponse<String> none = management().get("/actuator/prometheus");
        HttpResponse<String> wrong = management().get("/actuator/prometheus", "Authorization", "Bearer nope");
        HttpResponse<String> patrolStyle = management().get("/actuator/prometheus", "PRIVATE-TOKEN", TOKEN);
        HttpResponse<String> health = management().get("/actuator/health");

        for (HttpResponse<String> refused : java.util.List.of(none, wrong, patrolStyle, health)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
            assertThat(refused.body()).contains("management_token_invalid").doesNotContain("jvm_").doesNotContain("UP");
        }
    }

    @Test
    void fromOutsideTheAllowlistEvenTheRightTokenIs403WithNoData() {
        ApiHttp stranger = new ApiHttp(managementPort, "127.0.0.160");

        HttpResponse<String> scrape = stranger.get("/actuator/prometheus", "Authorization", "Bearer " + TOKEN);
        HttpResponse<String> probe = stranger.get("/actuator/health/readiness");

        assertThat(scrape.statusCode()).isEqualTo(403);
        assertThat(scrape.body()).contains("address_not_allowed").doesNotContain("jvm_");
        assertThat(probe.statusCode()).isEqualTo(200);
    }

    @Test
    void thePublicPortHasNoActuator() {
        ApiHttp publicPort = new ApiHttp(port, "127.0.0.1");

        for (String path : java.util.List.of("/actuator", "/actuator/health", "/actuator/health/readiness",
                "/actuator/prometheus", "/actuator/info")) {
            HttpResponse<String> response = publicPort.get(path, "Authorization", "Bearer " + TOKEN);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain("UP").doesNotContain("jvm_");
        }
    }
}
