package dev.patrol.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The front end is served at / under a policy that runs only its own scripts, and its libraries load. */
@PatrolTest
class WebUiTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired MutableClock clock;

    final JsonMapper json = JsonMapper.builder().build();

    ApiHttp http() {
        return ApiHttp.from127(port, 170);
    }

    @Test
    void theAppIsServedAtTheRootWithAPolicyThatAllowsOnlyItsOwnScriptsAndNoFraming() {
        HttpResponse<String> page = http().get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"/app/main.js\"></script>");
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
        assertThat(http().get("/app/main.js").headers().firstValue("Content-Security-Policy")).contains(policy);
    }

    @Test
    void thePagesHaveNoInlineScriptsAndImportNoVersionedOrForeignUrl() throws IOException {
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>");
        Pattern handlerAttribute = Pattern.compile("\\son[a-z]+=\"", Pattern.CASE_INSENSITIVE);
        Pattern imports = Pattern.compile("from '([^']+)'");
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/static"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                if (file.toString().endsWith(".html")) {
                    assertThat(inlineScript.matcher(text).find()).as(file + " has an inline script").isFalse();
                    assertThat(handlerAttribute.matcher(text).find()).as(file + " has an event attribute").isFalse();
                }
                if (file.toString().endsWith(".js")) {
                    Matcher m = imports.matcher(text);
                    while (m.find()) {
                        assertThat(m.group(1)).as(file + " imports " + m.group(1)).matches("(\\./|\\.\\./|/lib/|/webjars/).*")
                                .doesNotContainPattern("\\d+\\.\\d+\\.\\d+");
                    }
                    assertThat(text).as(file + " must not use localStorage").doesNotContain("localStorage");
                }
            }
        }
    }

    @Test
    void theLibrariesLoadAsModulesFromTheirJars() {
        for (String path : List.of("/lib/htm/preact/standalone.module.js", "/webjars/uplot/dist/uPlot.esm.js")) {
            HttpResponse<String> library = http().get(path);
            assertThat(library.statusCode()).as(path).isEqualTo(200);
            assertThat(library.headers().firstValue("Content-Type")).as(path)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
            assertThat(library.body()).as(path).contains("export");
        }
    }

    /** The create form's expiry picker needs the instance's lifetime rule, which instanceSettings shows admins only. */
    @Test
    void everySignedInUserReadsTheLifetimeRuleOfEachTokenType() {
        clock.set(TestConfig.START);
        String token = fixtures.pat(fixtures.human(), "read_api").secret();

        HttpResponse<String> response = http().graphql(
                "{ tokenTypes { type expiryRequired defaultExpiresAt maxExpiresAt } }", "PRIVATE-TOKEN", token);

        JsonNode types = json.readTree(response.body()).path("data").path("tokenTypes");
        JsonNode personal = find(types, "PERSONAL");
        assertThat(personal.path("expiryRequired").asBoolean()).isTrue();
        assertThat(personal.path("defaultExpiresAt").asString()).isEqualTo("2027-03-10");
        assertThat(personal.path("maxExpiresAt").asString()).isEqualTo("2027-03-10");
        JsonNode runner = find(types, "RUNNER_AUTHENTICATION");
        assertThat(runner.path("expiryRequired").asBoolean()).isFalse();
        assertThat(runner.path("maxExpiresAt").isNull()).isTrue();
    }

    private static JsonNode find(JsonNode types, String type) {
        for (JsonNode t : types) {
            if (t.path("type").asString().equals(type)) {
                return t;
            }
        }
        throw new AssertionError(type + " missing");
    }
}
