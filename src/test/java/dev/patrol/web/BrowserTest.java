package dev.patrol.web;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.ACCESS_TOKEN_LAST_USED_IPS;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;

/**
 * The web front end in a real browser (headless Chromium) against this Patrol: each scenario of issue 16. Needs
 * Chromium and chromedriver, so it runs in its own pass ({@code .ci/browser.sh}), not in the plain {@code mvn verify}.
 * Screenshots of the pages land in target/screenshots.
 */
@Tag("browser")
@PatrolTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    Browser browser;
    ApiHttp http;
    User admin;
    IssuedToken adminToken;

    @BeforeAll
    void startBrowser() {
        browser = new Browser(port);
        http = ApiHttp.from127(port, 172);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOutAdmin() {
        clock.set(Instant.now());
        admin = fixtures.admin();
        adminToken = fixtures.pat(admin, "api");
        browser.size(1280, 900);
        browser.open("#/tokens");
        browser.js("sessionStorage.clear()");
    }

    IssuedToken token(User user, String name, String... scopes) {
        return tokens.issue(Actor.system(), NewToken.personal(user.id(), name, List.of(scopes), null));
    }

    boolean works(String secret) {
        return http.graphql("{ currentUser { username } }", "PRIVATE-TOKEN", secret).statusCode() == 200;
    }

    /** The names on the inventory's current page, read in one go (the table re-renders as pages load). */
    @SuppressWarnings("unchecked")
    List<String> inventoryNames() {
        return (List<String>) browser.js("return [...document.querySelectorAll('#inventory-table tbody th.name')]"
                + ".map(th => th.firstChild.textContent)");
    }

    /** Waits until the inventory's table shows a loaded page. */
    void waitForInventory() {
        browser.waitFor("#inventory-table[aria-busy='false']");
    }

    @Test
    void signInRefusesBadTokensWithTheApisWordsAndKeepsAGoodOneOnlyInTheTab() {
        IssuedToken revoked = token(admin, Fixtures.unique("gone"), "api");
        tokens.revoke(Actor.system(), revoked.token().id());
        browser.open("#/tokens");

        browser.waitFor("#token-input").sendKeys("glpat-not-a-token");
        browser.one("#sign-in").click();
        browser.waitForText("#error-message", "The token is malformed.");
        browser.screenshot("sign-in-refused");
        browser.one("#token-input").clear();
        browser.one("#token-input").sendKeys(revoked.secret());
        browser.one("#sign-in").click();
        browser.waitForText("#error-message", "The token has been revoked.");

        browser.signIn(adminToken.secret());

        assertThat(browser.one("#current-user").getText()).isEqualTo(admin.username());
        assertThat(browser.js("return sessionStorage.getItem('patrol.token')")).isEqualTo(adminToken.secret());
        assertThat(browser.js("return localStorage.length")).isEqualTo(0L);
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(adminToken.secret());
        browser.one("#sign-out").click();
        browser.waitFor("#token-input");
        assertThat(browser.js("return sessionStorage.getItem('patrol.token')")).isNull();
        assertThat(browser.one("#status-message").getText()).contains("signed out");
    }

    @Test
    void createATokenAndSeeItsValueOnce() {
        browser.signIn(adminToken.secret());
        String name = Fixtures.unique("laptop");
        browser.waitFor("#create-name").sendKeys(name);
        assertThat(browser.one("#create-expires").getAttribute("value"))
                .isEqualTo(browser.one("#create-expires").getAttribute("max"));
        browser.one("#create-scope-read_api").click();
        browser.screenshot("my-tokens");
        browser.one("#create-submit").click();

        String value = browser.waitFor("#new-token-value").getAttribute("value");
        assertThat(value).startsWith("glpat-");
        assertThat(browser.one("#secret-dialog").getText()).contains("will not be shown again");
        browser.screenshot("token-created");
        assertThat(works(value)).isTrue();
        browser.one("#secret-done").click();
        browser.waitForText("#my-tokens", name);

        assertThat(browser.all("#new-token-value")).isEmpty();
        assertThat(browser.driver.getPageSource()).doesNotContain(value);
        WebElement row = rowOf("#my-tokens", name);
        assertThat(row.getText()).contains("read_api", "in 365 days");
    }

    WebElement rowOf(String table, String name) {
        return browser.all(table + " tbody tr").stream().filter(r -> r.getText().contains(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not listed in " + table));
    }

    @Test
    void rotateShowsTheNewValueOnceAndTheOldOneStops() {
        String name = Fixtures.unique("ci");
        IssuedToken old = token(admin, name, "api");
        browser.signIn(adminToken.secret());
        browser.waitForText("#my-tokens", name);

        rowOf("#my-tokens", name).findElement(By.cssSelector("button.rotate")).click();
        browser.waitFor("#confirm-dialog");
        browser.screenshot("rotate-confirm");
        browser.one("#confirm-action").click();
        String value = browser.waitFor("#new-token-value").getAttribute("value");

        assertThat(value).startsWith("glpat-").isNotEqualTo(old.secret());
        assertThat(works(value)).isTrue();
        assertThat(works(old.secret())).isFalse();
    }

    @Test
    void revokeAsksFirstAndTheTokenStops() {
        String name = Fixtures.unique("old");
        IssuedToken victim = token(admin, name, "api");
        browser.signIn(adminToken.secret());
        browser.waitForText("#my-tokens", name);

        rowOf("#my-tokens", name).findElement(By.cssSelector("button.revoke")).click();
        browser.waitFor("#confirm-dialog");
        browser.one("#confirm-dialog button:not(#confirm-action)").click();
        assertThat(works(victim.secret())).isTrue();
        rowOf("#my-tokens", name).findElement(By.cssSelector("button.revoke")).click();
        browser.waitFor("#confirm-action").click();
        browser.waitForText("#status-message", "Revoked");

        assertThat(works(victim.secret())).isFalse();
        assertThat(browser.one("#my-tokens").getText()).doesNotContain(name);
    }

    @Test
    void inventoryFiltersByScopeAndByAddressBlockAreInTheUrlAndSurviveAReload() {
        String prefix = Fixtures.unique("net");
        User owner = fixtures.human();
        IssuedToken inside = token(owner, prefix + "-inside", "read_repository");
        IssuedToken outside = token(owner, prefix + "-outside", "read_repository");
        token(owner, prefix + "-otherscope", "api");
        usedFrom(inside, "10.20.30.40");
        usedFrom(outside, "192.168.1.9");
        browser.signIn(adminToken.secret());
        browser.open("#/inventory");
        waitForInventory();

        browser.one("#filter-search").sendKeys(prefix);
        browser.one("#filter-scopesAnyOf").sendKeys("read_repository");
        browser.one("#apply-filters").click();
        browser.waitUntil(d -> inventoryNames().equals(List.of(prefix + "-inside", prefix + "-outside"))
                || inventoryNames().equals(List.of(prefix + "-outside", prefix + "-inside")));
        assertThat(browser.fragment()).contains("scopesAnyOf=read_repository", "search=" + prefix);

        browser.one("#filter-lastUsedIp").sendKeys("10.0.0.0/8");
        browser.one("#apply-filters").click();
        browser.waitUntil(d -> inventoryNames().equals(List.of(prefix + "-inside")));
        assertThat(browser.fragment()).contains("lastUsedIp=10.0.0.0/8", "scopesAnyOf=read_repository");
        browser.screenshot("inventory-filtered");

        browser.driver.navigate().refresh();
        waitForInventory();
        browser.waitUntil(d -> inventoryNames().equals(List.of(prefix + "-inside")));
        assertThat(browser.one("#filter-lastUsedIp").getAttribute("value")).isEqualTo("10.0.0.0/8");
        assertThat(browser.one("#filter-scopesAnyOf").getAttribute("value")).isEqualTo("read_repository");
        browser.waitFor("#inventory-count");
        assertThat(browser.one("#inventory-count").getText()).isEqualTo("1");
    }

    void usedFrom(IssuedToken token, String ip) {
        LocalDateTime at = LocalDateTime.now(ZoneOffset.UTC).minusHours(1);
        dsl.update(ACCESS_TOKENS).set(ACCESS_TOKENS.LAST_USED_AT, at).where(ACCESS_TOKENS.ID.eq(token.token().id()))
                .execute();
        dsl.insertInto(ACCESS_TOKEN_LAST_USED_IPS).set(ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID, token.token().id())
                .set(ACCESS_TOKEN_LAST_USED_IPS.IP, ip).set(ACCESS_TOKEN_LAST_USED_IPS.USED_AT, at).execute();
    }

    @Test
    void deepPagingForwardAndBackVisitsEveryTokenOnceInOrder() {
        String prefix = Fixtures.unique("page");
        User owner = fixtures.human();
        List<String> names = IntStream.range(0, 110).mapToObj(i -> String.format("%s-%03d", prefix, i)).toList();
        names.forEach(n -> token(owner, n, "read_api"));
        browser.signIn(adminToken.secret());
        browser.open("#/inventory?search=" + prefix + "&sort=NAME_ASC");
        waitForInventory();
        browser.waitUntil(d -> inventoryNames().size() == 20);
        browser.waitFor("#inventory-count");
        assertThat(browser.one("#inventory-count").getText()).isEqualTo("110");
        List<String> firstPage = inventoryNames();

        List<String> seen = new ArrayList<>(firstPage);
        List<List<String>> pages = new ArrayList<>(List.of(firstPage));
        while (browser.one("#page-next").isEnabled()) {
            List<String> before = inventoryNames();
            browser.one("#page-next").click();
            browser.waitUntil(d -> !inventoryNames().isEmpty() && !inventoryNames().equals(before));
            waitForInventory();
            assertThat(browser.fragment()).contains("after=");
            pages.add(inventoryNames());
            seen.addAll(inventoryNames());
        }
        assertThat(seen).containsExactlyElementsOf(names);
        browser.screenshot("inventory-last-page");

        for (int i = pages.size() - 2; i >= 0; i--) {
            List<String> expected = pages.get(i);
            browser.one("#page-prev").click();
            browser.waitUntil(d -> inventoryNames().equals(expected));
            waitForInventory();
            assertThat(browser.fragment()).contains("before=");
        }
        assertThat(inventoryNames()).isEqualTo(firstPage);
        assertThat(browser.one("#page-prev").isEnabled()).isFalse();
    }

    @Test
    void inventoryRowsAreRevokedAndRotatedAfterConfirmation() {
        String prefix = Fixtures.unique("row");
        User owner = fixtures.human();
        IssuedToken revokeMe = token(owner, prefix + "-revoke", "api");
        IssuedToken rotateMe = token(owner, prefix + "-rotate", "api");
        browser.signIn(adminToken.secret());
        browser.open("#/inventory?search=" + prefix + "&sort=NAME_ASC");
        waitForInventory();
        browser.waitUntil(d -> inventoryNames().size() == 2);

        rowOf("#inventory-table", prefix + "-revoke").findElement(By.cssSelector("button.revoke")).click();
        browser.waitFor("#confirm-action").click();
        browser.waitForText("#status-message", "Revoked");
        rowOf("#inventory-table", prefix + "-rotate").findElement(By.cssSelector("button.rotate")).click();
        browser.waitFor("#confirm-action").click();
        String value = browser.waitFor("#new-token-value").getAttribute("value");

        assertThat(works(revokeMe.secret())).isFalse();
        assertThat(works(rotateMe.secret())).isFalse();
        assertThat(works(value)).isTrue();
        browser.one("#secret-done").click();
        browser.waitUntil(d -> rowOf("#inventory-table", prefix + "-revoke").getText().contains("Revoked"));
    }

    @Test
    void bulkRevokePreviewsTheExactListAndRevokesItOnConfirmation() {
        String prefix = Fixtures.unique("bulk");
        User owner = fixtures.human();
        List<IssuedToken> doomed = IntStream.range(0, 4).mapToObj(i -> token(owner, prefix + "-" + i, "api")).toList();
        browser.signIn(adminToken.secret());
        browser.open("#/inventory?search=" + prefix + "&states=ACTIVE");
        waitForInventory();
        browser.waitUntil(d -> inventoryNames().size() == 4);

        browser.one("#bulk-revoke").click();
        browser.waitForText("#bulk-count", "4 tokens would be revoked");
        assertThat(browser.all("#bulk-list tbody tr")).hasSize(4);
        browser.screenshot("bulk-revoke-preview");
        browser.one("#bulk-confirm").click();
        browser.waitForText("#status-message", "Revoked 4 tokens");

        assertThat(doomed).noneMatch(t -> works(t.secret()));
        browser.waitUntil(d -> inventoryNames().isEmpty());
    }

    @Test
    void bulkRevokeOfAnEstateThatChangedSinceThePreviewShowsTheConflictAndRevokesNothing() {
        String prefix = Fixtures.unique("race");
        User owner = fixtures.human();
        List<IssuedToken> listed = IntStream.range(0, 3).mapToObj(i -> token(owner, prefix + "-" + i, "api")).toList();
        browser.signIn(adminToken.secret());
        browser.open("#/inventory?search=" + prefix);
        waitForInventory();
        browser.one("#bulk-revoke").click();
        browser.waitForText("#bulk-count", "3 tokens would be revoked");

        IssuedToken newcomer = token(owner, prefix + "-late", "api");
        browser.one("#bulk-confirm").click();

        browser.waitForText("#bulk-error", "changed since the preview");
        browser.screenshot("bulk-revoke-conflict");
        assertThat(listed).allMatch(t -> works(t.secret()));
        assertThat(works(newcomer.secret())).isTrue();
        browser.one("#bulk-preview-again").click();
        browser.waitForText("#bulk-count", "4 tokens would be revoked");
        browser.one("#bulk-cancel").click();
    }

    @Test
    void reportsDrawTheirChartsWithData() {
        User owner = fixtures.human();
        String prefix = Fixtures.unique("chart");
        IntStream.range(0, 6).forEach(i -> tokens.issue(Actor.system(), NewToken.personal(owner.id(), prefix + i,
                List.of("api"), java.time.LocalDate.now(ZoneOffset.UTC).plusDays(3 + i * 9L))));
        browser.signIn(adminToken.secret());
        browser.open("#/reports?interval=DAY&username=" + owner.username());

        browser.waitFor("#expiry-histogram canvas");
        browser.waitFor("#busiest-dates svg rect");
        Long painted = (Long) browser.js("""
                const canvas = document.querySelector('#expiry-histogram canvas');
                const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let n = 0;
                for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
                return n;""");
        assertThat(painted).isGreaterThan(1000L);
        assertThat(browser.all("#busiest-dates svg rect")).hasSizeGreaterThanOrEqualTo(6)
                .allMatch(r -> Double.parseDouble(r.getAttribute("width")) > 0);
        assertThat(browser.all("#type-state svg rect")).isNotEmpty();
        browser.waitForText("#offboarding", owner.username());
        assertThat(browser.all("#offboarding-breaking tbody tr")).hasSize(6);
        browser.screenshot("reports");
    }

    @Test
    void aTokenCanBeCreatedWithTheKeyboardAlone() {
        browser.open("#/tokens");
        WebElement input = browser.waitFor("#token-input");
        input.sendKeys(adminToken.secret(), Keys.ENTER);
        browser.waitFor("#create-name");
        String name = Fixtures.unique("keys");

        tabTo("create-name");
        active().sendKeys(name);
        tabTo("create-scope-read_api");
        active().sendKeys(Keys.SPACE);
        tabTo("create-submit");
        active().sendKeys(Keys.ENTER);

        browser.waitFor("#new-token-value");
        assertThat(browser.js("return document.activeElement.closest('dialog') !== null")).isEqualTo(true);
        tabTo("secret-done");
        active().sendKeys(Keys.ENTER);
        browser.waitForText("#my-tokens", name);
        assertThat(rowOf("#my-tokens", name).getText()).contains("read_api");
    }

    WebElement active() {
        return browser.driver.switchTo().activeElement();
    }

    /** Presses Tab until the element with this id has the focus (at most 80 times). */
    void tabTo(String id) {
        for (int i = 0; i < 80; i++) {
            if (id.equals(active().getAttribute("id"))) {
                return;
            }
            active().sendKeys(Keys.TAB);
        }
        throw new AssertionError("Tab never reached #" + id);
    }

    @Test
    void everyPageHasNoSeriousOrCriticalAccessibilityViolations() {
        String group = fixtures.group().fullPath();
        browser.open("#/tokens");
        browser.waitFor("#token-input");
        assertThat(browser.seriousAccessibilityViolations()).as("sign in").isEmpty();
        browser.signIn(adminToken.secret());
        for (String page : List.of("#/tokens", "#/resource-tokens?kind=group&path=" + group, "#/inventory",
                "#/reports")) {
            browser.open(page);
            browser.waitFor("#current-user");
            browser.waitUntil(d -> browser.all(".loading").isEmpty());
            assertThat(browser.seriousAccessibilityViolations()).as(page).isEmpty();
        }
        browser.open("#/reports?interval=DAY");
        browser.waitFor("#expiry-histogram canvas");
        assertThat(browser.policyViolations()).as("nothing the pages do is refused by their own policy").isEmpty();
        browser.screenshot("group-tokens");
    }

    @Test
    void projectTokensHaveARolePicker() {
        var group = fixtures.group();
        var project = fixtures.project(group);
        browser.signIn(adminToken.secret());
        browser.open("#/resource-tokens?kind=project&path=" + project.fullPath());
        String name = Fixtures.unique("deploy-bot");
        browser.waitFor("#resource-name").sendKeys(name);
        new org.openqa.selenium.support.ui.Select(browser.one("#resource-role")).selectByValue("DEVELOPER");
        browser.one("#resource-scope-read_api").click();
        browser.screenshot("project-tokens");
        browser.one("#resource-submit").click();
        String value = browser.waitFor("#new-token-value").getAttribute("value");
        browser.one("#secret-done").click();
        browser.waitForText("#resource-tokens", name);

        assertThat(works(value)).isTrue();
        assertThat(rowOf("#resource-tokens", name).getText()).contains("DEVELOPER");
    }

    @Test
    void theExportStreamsTheFilteredInventoryToAFileByTicket() throws IOException {
        String prefix = Fixtures.unique("export");
        User owner = fixtures.human();
        token(owner, prefix + "-a", "api");
        token(owner, prefix + "-b", "api");
        try (Stream<Path> old = Files.list(Browser.DOWNLOADS)) {
            old.forEach(p -> p.toFile().delete());
        }
        browser.signIn(adminToken.secret());
        browser.open("#/inventory?search=" + prefix);
        waitForInventory();
        browser.waitUntil(d -> inventoryNames().size() == 2);

        browser.one("#export-csv").click();

        Path file = Browser.DOWNLOADS.resolve("credentials-inventory.csv");
        browser.waitUntil(d -> Files.exists(file));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).startsWith("kind,id,type,name");
        assertThat(lines).hasSize(3);
        assertThat(String.join("\n", lines)).contains(prefix + "-a", prefix + "-b");
    }

    @Test
    void theInventoryIsUsableOnANarrowScreenAndMarksWhenItsTableIsInteractive() {
        browser.signIn(adminToken.secret());
        browser.size(390, 844);
        browser.open("#/inventory");
        waitForInventory();
        browser.waitUntil(d -> !inventoryNames().isEmpty());
        Double rendered = ((Number) browser.js(
                "return performance.getEntriesByName('inventory-rendered')[0].startTime")).doubleValue();
        assertThat(rendered).isPositive();
        Object wider = browser.js("return [...document.querySelectorAll('body *')]"
                + ".filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 10)");
        assertThat((List<?>) wider).as("the page itself does not scroll sideways; the table scrolls in its box")
                .isEmpty();
        browser.screenshot("inventory-narrow");
    }
}
