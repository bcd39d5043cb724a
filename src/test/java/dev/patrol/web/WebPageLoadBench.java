package dev.patrol.web;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Time to interactive of the inventory's first page in Chromium, against a running Patrol with a large estate (not a
 * test: it asserts nothing and runs only when asked):
 * <pre>
 * mvn test -Dpatrol.excludedGroups= -Dgroups=webbench -Dtest=WebPageLoadBench \
 *     -Dpatrol.bench.url=http://127.0.0.1:18171 -Dpatrol.bench.token=$(cat data/initial_root_token)
 * </pre>
 * Per view: one cold load (first after sign-in) and ten more, each a fresh document. "Interactive" is the
 * {@code inventory-rendered} mark the page sets when its first rows are in the table; navigation timing gives the
 * document's own milestones; the API time is the inventory query's resource timing.
 */
@Tag("webbench")
class WebPageLoadBench {

    static final int RUNS = 10;
    static final Map<String, String> VIEWS = new LinkedHashMap<>();

    static {
        VIEWS.put("first page, default sort (EXPIRES_ASC)", "#/inventory");
        VIEWS.put("first page, CREATED_DESC, 100 rows", "#/inventory?sort=CREATED_DESC&size=100");
        VIEWS.put("first page, active with api, human owners, expiring within 30 days",
                "#/inventory?states=ACTIVE&scopesAnyOf=api&ownerKinds=HUMAN&expiresBefore="
                        + java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30));
        VIEWS.put("first page, active with api, human owners (no date bound)",
                "#/inventory?states=ACTIVE&scopesAnyOf=api&ownerKinds=HUMAN");
    }

    @Test
    void firstInventoryPage() throws IOException {
        String url = System.getProperty("patrol.bench.url");
        String token = System.getProperty("patrol.bench.token");
        assumeThat(url).as("-Dpatrol.bench.url").isNotNull();
        StringBuilder report = new StringBuilder("| view | cold: interactive | median interactive | median DOM interactive"
                + " | median inventory query | rows |\n| --- | --- | --- | --- | --- | --- |\n");
        try (Browser browser = new Browser(url)) {
            browser.signIn(token);
            for (Map.Entry<String, String> view : VIEWS.entrySet()) {
                List<double[]> runs = new ArrayList<>();
                long rows = 0;
                String failure = null;
                for (int i = 0; i <= RUNS; i++) {
                    browser.open(view.getValue());
                    browser.waitFor("#inventory-table[aria-busy='false']");
                    if (!browser.all("#error-message").isEmpty()) {
                        failure = browser.one("#error-message").getText();
                        break;
                    }
                    browser.waitUntil(d -> (Boolean) browser.js(
                            "return performance.getEntriesByName('inventory-rendered').length > 0"));
                    @SuppressWarnings("unchecked")
                    List<Number> t = (List<Number>) browser.js("""
                            const nav = performance.getEntriesByType('navigation')[0];
                            const mark = performance.getEntriesByName('inventory-rendered')[0];
                            const queries = performance.getEntriesByType('resource').filter(r => r.name.endsWith('/graphql'));
                            return [mark.startTime, nav.domInteractive, queries[queries.length - 1].duration,
                                document.querySelectorAll('#inventory-table tbody tr').length];""");
                    runs.add(new double[] {t.get(0).doubleValue(), t.get(1).doubleValue(), t.get(2).doubleValue()});
                    rows = t.get(3).longValue();
                }
                if (failure != null) {
                    report.append("| ").append(view.getKey()).append(" | ").append(failure).append(" | | | | |\n");
                    continue;
                }
                double cold = runs.get(0)[0];
                List<double[]> warm = runs.subList(1, runs.size());
                report.append(String.format("| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %d |%n", view.getKey(), cold,
                        median(warm, 0), median(warm, 1), median(warm, 2), rows));
            }
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "web-page-load.md"), report);
    }

    static double median(List<double[]> runs, int column) {
        double[] values = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }
}
