package dev.patrol.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.patrol.support.TestDatabase;

/**
 * The packaged jar as an administrator uses it: {@code runner} and {@code console} started as processes against
 * an H2 file database of their own.
 */
class ConsoleJarIT {

    @TempDir static Path dir;
    static Path jar;

    record Outcome(int exitCode, String output) {
    }

    /** A run whose standard output and standard error were kept apart. */
    record Streams(int exitCode, String stdout, String stderr) {
    }

    static final String H2_OPTIONS = ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;"
            + "NON_KEYWORDS=VALUE,USER";

    @BeforeAll
    static void findJar() throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("patrol-.*\\.jar")).findFirst().orElseThrow();
        }
    }

    static Outcome start(String stdin, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SPRING_DATASOURCE_URL", "jdbc:h2:file:" + dir.resolve("patrol")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;NON_KEYWORDS=VALUE,USER");
        builder.environment().put("PATROL_DATA_DIR", dir.toString());
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Outcome(process.exitValue(), output);
    }

    /** Runs the command with these environment variables over the defaults, stdout and stderr apart. */
    static Streams run(Map<String, String> env, String... command) throws Exception {
        Path stderr = dir.resolve("stderr-" + System.nanoTime());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().put("SPRING_DATASOURCE_URL", "jdbc:h2:file:" + dir.resolve("patrol") + H2_OPTIONS);
        builder.environment().put("PATROL_DATA_DIR", dir.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Streams(process.exitValue(), stdout, Files.readString(stderr));
    }

    static String[] java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    @Test
    void theRunnerRunsAScriptAndExitsWithItsOutcome() throws Exception {
        Outcome seeded = start("", java("runner", "console-scripts/seed_demo_data.groovy", "--prefix", "jar"));
        Outcome broken = start("", java("runner", "expired_tokens", "tomorrow"));
        Outcome notAdmin = start("", java("runner", "--as", "jar-alice", "tokens_with_no_expiry"));

        assertThat(seeded.exitCode()).as(seeded.output()).isZero();
        assertThat(seeded.output()).contains("Created group 'jar' with 13 tokens (1 revoked) for 4 users.");
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.output()).contains("ERROR expired_tokens.groovy:6: argument 1 must be a date like "
                + "2024-05-22, not 'tomorrow'").doesNotContain("\tat ");
        assertThat(notAdmin.exitCode()).isEqualTo(2);
        assertThat(notAdmin.output()).contains("User 'jar-alice' is not an active administrator");
    }

    @Test
    void theConsoleRunsUnderATerminalAndItsSandboxRollsBack() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) to give the console a terminal");
        start("", java("runner", "console-scripts/seed_demo_data.groovy", "--prefix", "pty"));
        String session = String.join("\n", "groovy", "x = Users.findByUsername('pty-bob')", "x.block().state",
                "exit", "exit", "");
        String command = String.join(" ", java("console", "--sandbox"));

        Outcome console = start(session, "/usr/bin/script", "-qfec", command, "/dev/null");
        Outcome after = start("", java("runner", writeScript("println Users.findByUsername('pty-bob').state")));

        assertThat(console.output()).contains("Patrol console as root (sandbox")
                .contains("=> 'BLOCKED'").contains("Sandbox closed: every change was rolled back.");
        assertThat(after.output()).contains("ACTIVE");
    }

    @Test
    void theRunnersStandardOutputIsTheScriptsAloneAndLogsGoToStandardError() throws Exception {
        String script = writeScript("println 'the report'");

        Streams run = run(Map.of("LOGGING_LEVEL_ORG_FLYWAYDB", "INFO"), java("runner", script));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("the report" + System.lineSeparator());
        // Flyway's start-up lines, told to log at INFO here, land on stderr
        assertThat(run.stderr()).contains("INFO").contains("o.f.");
    }

    @Test
    void theRunnerRunsInlineGroovyGivenWithDashE() throws Exception {
        Streams inline = run(Map.of(), java("runner", "-e", "println 6 * 7"));
        Streams failing = run(Map.of(), java("runner", "--eval", "fail('no such token')"));

        assertThat(inline.exitCode()).as(inline.stderr()).isZero();
        assertThat(inline.stdout()).isEqualTo("42" + System.lineSeparator());
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.stderr()).contains("ERROR eval:1: no such token");
    }

    @Test
    void theEmbeddedDatabaseGetsAKeyFileOnlyItsUserCanRead() throws Exception {
        Streams run = run(Map.of(), java("runner", writeScript("println 'ok'")));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Path keyFile = dir.resolve("secrets.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(keyFile)).anySatisfy(line -> assertThat(line).matches("local1=[A-Za-z0-9+/=]{44}"));
    }

    @Test
    void aDatabaseInUseByAnotherProcessIsToldInOneLineWithExitCode2() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("held") + H2_OPTIONS;
        Streams run;
        try (Connection held = DriverManager.getConnection(url, "sa", "")) {
            run = run(Map.of("SPRING_DATASOURCE_URL", url), java("runner", "expired_tokens", "2027-03-01"));
        }

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().lines().toList()).singleElement().asString()
                .contains("The embedded database is in use by another process");
    }

    @Test
    void aServerDatabaseWithoutAKeyForSecretsIsRefusedInOneLine() throws Exception {
        String server = System.getenv("PATROL_TEST_DB_URL");
        assumeTrue(server != null && !server.isBlank(), "needs a MySQL/MariaDB server (PATROL_TEST_DB_URL)");
        String user = System.getenv().getOrDefault("PATROL_TEST_DB_USER", "root");
        String password = System.getenv().getOrDefault("PATROL_TEST_DB_PASSWORD", "");
        String url = TestDatabase.createDatabase(server, user, password, "patrol_jar_" + ProcessHandle.current().pid());
        Map<String, String> database = Map.of("SPRING_DATASOURCE_URL", url, "SPRING_DATASOURCE_USERNAME", user,
                "SPRING_DATASOURCE_PASSWORD", password);
        String script = writeScript("println 'started'");

        Streams refused = run(database, java("runner", script));
        Map<String, String> withKey = new java.util.HashMap<>(database);
        withKey.put("PATROL_SECRETS_KEYS_PROD1", Base64.getEncoder().encodeToString(new byte[32]));
        Streams started = run(withKey, java("runner", script));

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stdout()).isEmpty();
        assertThat(refused.stderr().lines().toList()).singleElement().asString()
                .startsWith("No key for secrets at rest: set PATROL_SECRETS_KEYS_<ID>");
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        assertThat(started.stdout()).isEqualTo("started" + System.lineSeparator());
    }

    /** The launcher the README's commands use: the build's AOT cache on JDK 25, and nothing of the JVM's on stdout. */
    @Test
    void theLauncherStartsTheRunnerFromTheBuildsAotCache() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25 && Files.isRegularFile(Path.of("target/app/patrol.aot")),
                "needs JDK 25+ and the cache that `mvn package` trains (not skipped with -Dpatrol.aot.skip)");
        String usesCache = "println java.lang.management.ManagementFactory.runtimeMXBean.inputArguments"
                + ".any { it.startsWith('-XX:AOTCache=') }";

        Streams run = run(Map.of("JAVA_HOME", System.getProperty("java.home")), "console-scripts/runner", "-e", usesCache);
        Streams failing = run(Map.of("JAVA_HOME", System.getProperty("java.home")), "console-scripts/runner",
                "expired_tokens", "tomorrow");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("true" + System.lineSeparator());
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.stdout()).isEmpty();
        assertThat(failing.stderr()).contains("ERROR expired_tokens.groovy:6");
    }

    /** Without a cache that fits (here: no extracted jar beside the packaged one) it is plain {@code java -jar}. */
    @Test
    void theLauncherFallsBackToJavaDashJarSilently() throws Exception {
        Path checkout = dir.resolve("checkout-" + System.nanoTime());
        Files.createDirectories(checkout.resolve("console-scripts"));
        Files.createDirectories(checkout.resolve("target"));
        Files.copy(Path.of("console-scripts/runner"), checkout.resolve("console-scripts/runner"));
        Files.createSymbolicLink(checkout.resolve("target").resolve(jar.getFileName()), jar.toAbsolutePath());
        String script = "println java.lang.management.ManagementFactory.runtimeMXBean.inputArguments"
                + ".findAll { it.startsWith('-XX:') }";

        Streams run = run(Map.of("JAVA_HOME", System.getProperty("java.home")),
                checkout.resolve("console-scripts/runner").toString(), "-e", script);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("[]" + System.lineSeparator());
    }

    static String writeScript(String text) throws IOException {
        Path script = dir.resolve("check_" + System.nanoTime() + ".groovy");
        Files.writeString(script, text);
        return script.toString();
    }
}
