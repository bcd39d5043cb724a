package dev.patrol.inventory;

import static dev.patrol.inventory.CredentialsInventoryTest.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.context.support.ServletRequestHandledEvent;

import dev.patrol.owner.OwnerService;
import dev.patrol.owner.User;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.SqlRecorder;
import dev.patrol.support.TestConfig;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenService;
import tools.jackson.databind.json.JsonMapper;

@PatrolTest
class InventoryExportTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired OwnerService owners;
    @Autowired TokenService tokens;
    @Autowired DSLContext dsl;
    @Autowired MutableClock clock;
    @Autowired ConfigurableApplicationContext context;
    @Autowired io.micrometer.core.instrument.MeterRegistry meters;

    InventoryEstate estate;

    @BeforeEach
    void estate() {
        clock.set(TestConfig.START);
        estate = new InventoryEstate(fixtures, owners, tokens, dsl, TODAY);
        estate.used(estate.enterprisePat, LocalDateTime.of(2026, 3, 9, 10, 0), "10.1.2.3", "10.9.9.9");
    }

    @Test
    void csvQuotesNamesAndListsEveryFilteredCredentialWithScopesAndAddresses() throws Exception {
        String body = get(estate.ownerToken, "/inventory/export?format=csv&groupPath=" + estate.group.fullPath()
                + "&sort=NAME_ASC&types=PERSONAL,SSH_KEY", HttpStatus.OK);

        assertThat(body).contains("\"laptop, \"\"home\"\"\"");
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(body)).getRecords();
        assertThat(rows).extracting(r -> r.get("name"))
                .containsExactly("deployer", "enterprise laptop key", "laptop, \"home\"", "reader");
        CSVRecord laptop = rows.get(2);
        assertThat(laptop.get("scopes")).isEqualTo("api write_repository");
        assertThat(laptop.get("last_used_ips")).isEqualTo("10.1.2.3 10.9.9.9");
        assertThat(laptop.get("last_used_at")).isEqualTo("2026-03-09T10:00:00Z");
        assertThat(laptop.get("owner_username")).isEqualTo(estate.enterprise.username());
        assertThat(laptop.get("state")).isEqualTo("ACTIVE");
        assertThat(rows.get(1).get("kind")).isEqualTo("SSH_KEY");
        assertThat(rows.get(1).get("revoked_at")).isEmpty();
    }

    @Test
    void csvCellsASpreadsheetWouldRunAsFormulasAreDefused() throws Exception {
        tokens.issue(dev.patrol.shared.Actor.system(), dev.patrol.token.NewToken.personal(estate.enterprise.id(),
                "=HYPERLINK(\"http://evil\")", List.of("read_api"), TODAY.plusDays(3)));
        String body = get(estate.ownerToken, "/inventory/export?format=csv&groupPath=" + estate.group.fullPath()
                + "&search=HYPERLINK", HttpStatus.OK);
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(body)).getRecords();
        assertThat(rows).singleElement().satisfies(r -> assertThat(r.get("name")).isEqualTo("'=HYPERLINK(\"http://evil\")"));
    }

    @Test
    void ndjsonHasOneObjectPerLine() throws Exception {
        String body = get(estate.ownerToken, "/inventory/export?format=ndjson&groupPath=" + estate.group.fullPath()
                + "&ownerUsername=" + estate.enterprise.username() + "&scopesAnyOf=api", HttpStatus.OK);

        List<String> lines = body.lines().toList();
        assertThat(lines).hasSize(1);
        Map<String, Object> row = JsonMapper.builder().build().readValue(lines.getFirst(), new tools.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(row.get("name")).isEqualTo("laptop, \"home\"");
        assertThat(row.get("scopes")).isEqualTo(List.of("api", "write_repository"));
        assertThat(row.get("last_used_ips")).isEqualTo(List.of("10.1.2.3", "10.9.9.9"));
        assertThat(row.get("expires_at")).isEqualTo(TODAY.plusDays(10).toString());
        assertThat(row.get("revoked_at")).isNull();
        assertThat(row.keySet()).containsExactlyElementsOf(InventoryExportController.COLUMNS);
    }

    @Test
    void exportIsRefusedToOutsidersAndBadParametersAreExplained() {
        IssuedToken stranger = fixtures.pat(fixtures.human(), "api");
        assertThat(get(stranger, "/inventory/export?groupPath=" + estate.group.fullPath(), HttpStatus.FORBIDDEN))
                .contains("forbidden").doesNotContain("Exception");
        assertThat(get(estate.ownerToken, "/inventory/export?format=xml&groupPath=" + estate.group.fullPath(),
                HttpStatus.BAD_REQUEST)).contains("format must be csv or ndjson");
        assertThat(get(estate.ownerToken, "/inventory/export?groupPath=" + estate.group.fullPath()
                + "&expiresBefore=soon", HttpStatus.BAD_REQUEST)).contains("expiresBefore");
        assertThat(get(estate.ownerToken, "/inventory/export?groupPath=" + estate.group.fullPath()
                + "&types=PASSWORD", HttpStatus.BAD_REQUEST)).contains("Unknown credential type");
        RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                .get().uri("/inventory/export").exchange().expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void unknownParametersAreRefusedNamingTheValidOnes() {
        String misspelled = get(estate.ownerToken, "/inventory/export?format=csv&groupPath=" + estate.group.fullPath()
                + "&state=active&scopes=api", HttpStatus.BAD_REQUEST);

        assertThat(misspelled).contains("'state'", "'scopes'", "states", "scopesAnyOf", "groupPath", "format")
                .doesNotContain("Exception");
        assertThat(get(estate.ownerToken, "/inventory/export?groupPath=" + estate.group.fullPath() + "&"
                + "x".repeat(5_000) + "=1", HttpStatus.BAD_REQUEST)).hasSizeLessThan(1_000);
    }

    @Test
    void exportDatesFollowTheDateRules() {
        String base = "/inventory/export?groupPath=" + estate.group.fullPath();
        assertThat(get(estate.ownerToken, base + "&expiresBefore=2027-02-30", HttpStatus.BAD_REQUEST))
                .contains("expiresBefore", "not a real calendar date");
        assertThat(RestTestClient.bindToServer().build().get()
                .uri(java.net.URI.create("http://localhost:" + port + base + "&expiresAfter=%2B10000-01-01"))
                .header("PRIVATE-TOKEN", estate.ownerToken.secret()).exchange()
                .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST).expectBody(String.class).returnResult()
                .getResponseBody()).contains("expiresAfter", "'+10000-01-01'", "9999-12-31");
        assertThat(get(estate.ownerToken, base + "&expiresAfter=1969-12-31", HttpStatus.BAD_REQUEST))
                .contains("expiresAfter", "1970-01-01");
        assertThat(get(estate.ownerToken, base + "&createdAfter=1969-12-31T00:00:00Z", HttpStatus.BAD_REQUEST))
                .contains("createdAfter", "1970-01-01");
    }

    /**
     * A client that goes away mid-export stops it: the next write fails and no further row is read or written. The
     * client reads through a small receive window, so the server is still writing when it goes.
     */
    @Test
    void anExportStopsWritingRowsWhenTheClientDisconnects() throws Exception {
        User owner = fixtures.human();
        for (int i = 0; i < 3 * InventoryService.EXPORT_PAGE; i++) {
            tokens.issue(fixtures.system(), dev.patrol.token.NewToken.personal(owner.id(), "bulk " + i,
                    List.of("read_api"), TODAY.plusDays(30)));
        }
        String admin = fixtures.pat(fixtures.admin(), "read_api").secret();
        String path = "/inventory/export?format=csv&types=PERSONAL&ownerUsername=" + owner.username();

        double before = exportedRows();
        assertThat(new ApiHttp(port, "127.0.0.1").get(path, "PRIVATE-TOKEN", admin).body().lines().count())
                .isEqualTo(3 * InventoryService.EXPORT_PAGE + 1);
        double wholeExport = exportedRows() - before;

        CountDownLatch handled = new CountDownLatch(1);
        ApplicationListener<ServletRequestHandledEvent> listener = event -> {
            if (event.getRequestUrl().equals("/inventory/export")) {
                handled.countDown();
            }
        };
        context.addApplicationListener(listener);
        try {
            double beforeAbandoned = exportedRows();
            SqlRecorder.during(dsl, () -> {
                try (Socket socket = new Socket()) {
                    socket.setReceiveBufferSize(2048);
                    socket.connect(new InetSocketAddress("127.0.0.1", port));
                    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nPRIVATE-TOKEN: "
                            + admin + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    assertThat(socket.getInputStream().readNBytes(1024)).hasSize(1024);
                    socket.setSoLinger(true, 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                try {
                    assertThat(handled.await(60, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(exportedRows() - beforeAbandoned).isLessThan(wholeExport);
        } finally {
            context.removeApplicationListener(listener);
        }
    }

    /**
     * The CSV export reads each source with one statement whose rows the driver hands over as they arrive: on MySQL
     * and MariaDB, Connector/J's streaming mode (fetch size {@code Integer.MIN_VALUE}, read-only, forward-only),
     * which the driver itself reports as streaming rows rather than rows it holds; elsewhere a bounded fetch size.
     */
    @Test
    void csvReadsEachSourceWithOneStatementThatStreams() {
        List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        org.jooq.ExecuteListenerProvider[] before = dsl.configuration().executeListenerProviders();
        org.jooq.ExecuteListenerProvider[] with = java.util.Arrays.copyOf(before, before.length + 1);
        with[before.length] = new org.jooq.impl.DefaultExecuteListenerProvider(new org.jooq.ExecuteListener() {
            @Override
            public void executeEnd(org.jooq.ExecuteContext ctx) {
                if (ctx.sql() == null || !ctx.sql().contains("ip_list")) {
                    return;
                }
                try {
                    java.sql.ResultSet rs = ctx.resultSet();
                    seen.add(ctx.statement().getFetchSize() + " " + rs.getType() + " " + rs.getConcurrency() + " "
                            + streamedByConnectorJ(rs));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        dsl.configuration().set(with);
        try {
            get(estate.ownerToken, "/inventory/export?format=csv&groupPath=" + estate.group.fullPath(), HttpStatus.OK);
        } finally {
            dsl.configuration().set(before);
        }

        boolean mysql = switch (dsl.dialect().family()) {
            case MYSQL, MARIADB -> true;
            default -> false;
        };
        String expected = (mysql ? Integer.MIN_VALUE : InventoryRepository.EXPORT_FETCH_SIZE) + " "
                + java.sql.ResultSet.TYPE_FORWARD_ONLY + " " + java.sql.ResultSet.CONCUR_READ_ONLY + " " + mysql;
        // tokens and SSH keys: one statement each, however many rows
        assertThat(seen).containsExactly(expected, expected);
    }

    /** Whether Connector/J reads this result's rows off the socket one at a time (false for any other driver). */
    private static boolean streamedByConnectorJ(java.sql.ResultSet rs) throws java.sql.SQLException {
        return rs.isWrapperFor(com.mysql.cj.jdbc.result.ResultSetImpl.class)
                && rs.unwrap(com.mysql.cj.jdbc.result.ResultSetImpl.class).getRows()
                        instanceof com.mysql.cj.protocol.a.result.ResultsetRowsStreaming;
    }

    private double exportedRows() {
        return meters.get("patrol.inventory.export.rows").tag("format", "csv").counter().count();
    }

    private String get(IssuedToken token, String uri, HttpStatus status) {
        return RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                .get().uri(uri).header("PRIVATE-TOKEN", token.secret()).exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
