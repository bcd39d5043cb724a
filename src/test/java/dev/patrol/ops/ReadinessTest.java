package dev.patrol.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import dev.patrol.support.ApiHttp;
import dev.patrol.support.ProxiedDatabase;
import dev.patrol.support.TcpProxy;
import dev.patrol.support.TestConfig;
import dev.patrol.support.TestMailServer;
import dev.patrol.support.TestSecrets;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code /actuator/health/readiness} follows the database: DOWN (503) while it is gone, UP again when it returns,
 * while liveness stays UP (a restart would not bring the database back). The database sits behind a
 * {@link TcpProxy} ({@link ProxiedDatabase}), as in DatabaseOutageTest.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.autoconfigure.exclude=org.springframework.shell.core.autoconfigure.SpringShellAutoConfiguration",
        "patrol.expiry.scheduling=false",
        // its own: the shared context's RootBootstrapTest reads the initial root token written there
        "patrol.data-dir=target/test-data-readiness",
        "patrol.secrets.keys." + TestSecrets.ACTIVE_KEY_ID + "=" + TestSecrets.ACTIVE_KEY,
        "patrol.secrets.active-key=" + TestSecrets.ACTIVE_KEY_ID})
@ContextConfiguration(initializers = {ProxiedDatabase.class, TestMailServer.class})
@Import(TestConfig.class)
class ReadinessTest {

    @LocalManagementPort int managementPort;
    @Autowired TcpProxy database;
    @Autowired StoredStateGauges gauges;
    @Autowired MeterRegistry meters;

    @AfterEach
    void restore() {
        database.restore();
    }

    HttpResponse<String> probe(String which, String... headers) {
        return new ApiHttp(managementPort, "127.0.0.1").get("/actuator/health/" + which, headers);
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsGoneAndUpWhenItReturns() {
        assertThat(probe("readiness").statusCode()).isEqualTo(200);

        database.kill();
        gauges.refresh();
        double readinessMetricDuringOutage = meters.get("patrol.readiness").gauge().value();
        HttpResponse<String> down = probe("readiness");
        HttpResponse<String> details = probe("readiness", "Authorization", "Bearer " + ManagementPortTest.TOKEN);
        HttpResponse<String> liveness = probe("liveness");
        database.restore();
        // as a load balancer sees it: probing again until the pool has connected anew
        HttpResponse<String> up = await().atMost(Duration.ofSeconds(30)).until(() -> probe("readiness"),
                r -> r.statusCode() == 200);
        gauges.refresh();

        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\"}");
        assertThat(details.body()).contains("\"db\":{").contains("\"flyway\":{").contains("DOWN")
                .doesNotContain("jdbc:").doesNotContain("password");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(readinessMetricDuringOutage).isZero();
        assertThat(meters.get("patrol.readiness").gauge().value()).isEqualTo(1);
    }

    @Test
    void whileTheDatabaseIsFrozenReadinessIsDownToo() {
        database.freeze();
        HttpResponse<String> down = probe("readiness");
        database.restore();

        assertThat(down.statusCode()).isEqualTo(503);
        await().atMost(Duration.ofSeconds(30)).until(() -> probe("readiness").statusCode(), code -> code == 200);
    }
}
