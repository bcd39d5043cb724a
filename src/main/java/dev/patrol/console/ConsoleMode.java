package dev.patrol.console;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.shell.core.ShellRunner;

/**
 * {@code console [--sandbox] [--as USERNAME]}: an interactive Spring Shell session as an administrator. The
 * session starts the shell itself, on this thread, so a sandbox's transaction spans every command and is rolled
 * back when the shell exits.
 */
@Configuration(proxyBeanMethods = false)
@Profile("console")
class ConsoleMode {

    @Bean
    ConsoleSessionHolder consoleSessionHolder() {
        return new ConsoleSessionHolder();
    }

    @Bean
    @Order(100)
    ConsoleRunner consoleRunner(ConsoleServices services, ScriptRunner runner, ShellRunner shell,
            ConsoleSessionHolder holder) {
        return new ConsoleRunner(services, runner, shell, holder);
    }

    /** Where the commands find the running session. */
    static final class ConsoleSessionHolder {
        private ConsoleSession session;

        ConsoleSession get() {
            return session;
        }

        void set(ConsoleSession session) {
            this.session = session;
        }
    }

    static final class ConsoleRunner implements ApplicationRunner, ExitCodeGenerator {

        private final ConsoleServices services;
        private final ScriptRunner runner;
        private final ShellRunner shell;
        private final ConsoleSessionHolder holder;
        private int exitCode;

        ConsoleRunner(ConsoleServices services, ScriptRunner runner, ShellRunner shell, ConsoleSessionHolder holder) {
            this.services = services;
            this.runner = runner;
            this.shell = shell;
            this.holder = holder;
        }

        @Override
        public void run(ApplicationArguments arguments) throws Exception {
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
            List<String> args = List.of(arguments.getSourceArgs());
            boolean sandbox = args.contains("--sandbox");
            int as = args.indexOf("--as");
            String username = as >= 0 && as + 1 < args.size() ? args.get(as + 1) : ScriptRun.DEFAULT_OPERATOR;
            var operator = runner.operator(username, err);
            if (operator.isEmpty()) {
                exitCode = ScriptRunner.USAGE;
                return;
            }
            ConsoleSession session = new ConsoleSession(services, runner, operator.get(), sandbox, out);
            holder.set(session);
            out.println("Patrol console as " + operator.get().username()
                    + (sandbox ? " (sandbox: every change is rolled back when you exit)" : "")
                    + ". Type help for commands, groovy for a Groovy session, exit to leave.");
            session.begin();
            try {
                shell.run(new String[0]);
            } finally {
                session.end();
            }
        }

        @Override
        public int getExitCode() {
            return exitCode;
        }
    }
}
