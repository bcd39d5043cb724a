package dev.patrol.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as an administrator uses it: {@code runner} and {@code console} started as processes against
 * an H2 file database of their own.
 */
class ConsoleJarIT {

    @TempDir static Path dir;
    static Path jar;

    record Outcome(int exitCode, String output) {
    }

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

    static String writeScript(String text) throws IOException {
        Path script = dir.resolve("check_" + System.nanoTime() + ".groovy");
        Files.writeString(script, text);
        return script.toString();
    }
}
