package dev.patrol.web;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's packages, driven through the chromedriver installed beside it: Selenium is pointed
 * at both, so it never looks for or downloads a browser or driver of its own (the network is closed). A fresh
 * profile per run; downloads land in target/downloads.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("patrol.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("patrol.chromedriver", "/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Path DOWNLOADS = Path.of("target", "downloads").toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(15);

    final ChromeDriver driver;
    final String base;
    private final Path profile;

    Browser(int port) {
        this("http://127.0.0.1:" + port);
    }

    Browser(String base) {
        this.base = base;
        try {
            this.profile = Files.createTempDirectory("patrol-chromium-");
            Files.createDirectories(DOWNLOADS);
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        options.setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toString(),
                "download.prompt_for_download", false));
        this.driver = new ChromeDriver(service, options);
    }

    /** Loads the app afresh at this fragment (a new document even when only the fragment differs). */
    void open(String hash) {
        driver.get("about:blank");
        driver.get(base + "/" + hash);
    }

    void signIn(String token) {
        open("#/tokens");
        WebElement input = waitFor("#token-input");
        input.clear();
        input.sendKeys(token);
        driver.findElement(By.id("sign-in")).click();
        waitFor("#current-user");
    }

    WebElement waitFor(String css) {
        try {
            return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("No visible " + css + " on " + driver.getCurrentUrl() + ":\n"
                    + driver.findElement(By.tagName("body")).getAttribute("innerHTML"), e);
        }
    }

    void waitUntil(java.util.function.Function<ChromeDriver, Boolean> condition) {
        new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.apply(driver));
    }

    void waitForText(String css, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    WebElement one(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The fragment of the current URL, decoded. */
    String fragment() {
        String url = driver.getCurrentUrl();
        int hash = url.indexOf('#');
        return hash < 0 ? "" : java.net.URLDecoder.decode(url.substring(hash), StandardCharsets.UTF_8);
    }

    /** The whole page (the window is stretched to its height for the shot), as target/screenshots/NAME.png. */
    void screenshot(String name) {
        Dimension window = driver.manage().window().getSize();
        long height = (Long) js("return Math.max(document.documentElement.scrollHeight, window.innerHeight)");
        boolean dialog = (Boolean) js("return document.querySelector('dialog[open]') !== null");
        if (!dialog) {
            driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(height + 100, 4000)));
        }
        Path file = driver.getScreenshotAs(OutputType.FILE).toPath();
        driver.manage().window().setSize(window);
        try {
            Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** axe-core's violations of impact serious or critical on the current page, as "rule: target" lines. */
    @SuppressWarnings("unchecked")
    List<String> seriousAccessibilityViolations() {
        try (InputStream in = Browser.class.getClassLoader().getResourceAsStream("axe.min.js")) {
            js(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> result = (Map<String, Object>) driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, { resultTypes: ['violations'] }).then(r => done({ violations: r.violations.map(v => "
                        + "({ id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(' ')).join(', ') })) }))"
                        + ".catch(e => done({ error: String(e) }));");
        if (result.containsKey("error")) {
            throw new IllegalStateException(String.valueOf(result.get("error")));
        }
        return ((List<Map<String, Object>>) result.get("violations")).stream()
                .filter(v -> "serious".equals(v.get("impact")) || "critical".equals(v.get("impact")))
                .map(v -> v.get("id") + " (" + v.get("impact") + "): " + v.get("targets")).toList();
    }

    /** The browser console's messages since the last call that say a Content-Security-Policy refused something. */
    List<String> policyViolations() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy")).toList();
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
