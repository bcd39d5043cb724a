package dev.patrol.console;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** {@code runner SCRIPT [ARGS]}: runs the script once the application has started; its outcome is the exit code. */
@Component
@Profile("runner")
@Order(100)
class RunnerMode implements ApplicationRunner, ExitCodeGenerator {

    private final ScriptRunner runner;
    private int exitCode = ScriptRunner.OK;

    RunnerMode(ScriptRunner runner) {
        this.runner = runner;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, false, StandardCharsets.UTF_8);
        List<String> args = List.of(arguments.getSourceArgs());
        try {
            exitCode = runner.run(ScriptRun.parse(args), out, err);
        } catch (ScriptRun.UsageException e) {
            err.println(e.getMessage());
            err.flush();
            exitCode = args.contains("--help") ? ScriptRunner.OK : ScriptRunner.USAGE;
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
