package dev.patrol;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * One jar, three modes, chosen by the first argument before the context starts:
 * {@code server} (default), {@code console} and {@code runner SCRIPT [ARGS]}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PatrolApplication {

    private static final String SHELL_AUTO_CONFIGURATION =
            "org.springframework.shell.core.autoconfigure.SpringShellAutoConfiguration";

    /** The runner's and the console's exit code when they could not start (as for an unknown script or operator). */
    static final int COULD_NOT_START = 2;

    public static void main(String[] args) {
        Mode mode = Mode.of(args);
        SpringApplication app = new SpringApplication(PatrolApplication.class);
        app.setDefaultProperties(mode.properties());
        app.setAdditionalProfiles(mode.name().toLowerCase());
        // a script's own options (--users, --debug, ...) are not Spring properties
        app.setAddCommandLineProperties(mode == Mode.SERVER);
        ConfigurableApplicationContext context;
        try {
            context = app.run(mode.remainingArgs(args));
        } catch (RuntimeException failure) {
            if (mode == Mode.SERVER) {
                throw failure;
            }
            // exit 1 means "the script failed"; not starting at all is 2, told in one line (--debug adds the trace)
            System.err.println(CannotStart.describe(failure));
            if (Arrays.asList(args).contains("--debug")) {
                failure.printStackTrace();
            }
            System.exit(COULD_NOT_START);
            return;
        }
        if (mode != Mode.SERVER) {
            // the runner's and the console's exit code is their outcome (see their ExitCodeGenerator beans)
            System.exit(SpringApplication.exit(context));
        }
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Scheduled jobs (usage flushes, ban pruning, expiry mail and retention) belong to servers: a console session or
     * a script must never send mail or purge on its own.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @Profile("!console & !runner")
    static class ServerScheduling {
    }

    /**
     * The console and the runner start lazily (see their profiles), so they build only what a script reaches, but
     * the migrations still run before anything else, as in the server: a script never sees an older schema.
     */
    @Bean
    static LazyInitializationExcludeFilter migrateOnStart() {
        return LazyInitializationExcludeFilter.forBeanTypes(FlywayMigrationInitializer.class);
    }

    /**
     * The run mode. Only the console starts Spring Shell (in the runner it would read the terminal); the console and
     * the runner never start a web server.
     */
    public enum Mode {
        SERVER, CONSOLE, RUNNER;

        static Mode of(String[] args) {
            if (args.length == 0 || args[0].startsWith("-")) {
                return SERVER;
            }
            return Arrays.stream(values()).filter(m -> m.name().equalsIgnoreCase(args[0])).findFirst().orElse(SERVER);
        }

        String[] remainingArgs(String[] args) {
            return args.length > 0 && args[0].equalsIgnoreCase(name()) ? Arrays.copyOfRange(args, 1, args.length) : args;
        }

        Map<String, Object> properties() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("patrol.mode", name().toLowerCase());
            if (this != CONSOLE) {
                p.put("spring.autoconfigure.exclude", SHELL_AUTO_CONFIGURATION);
            }
            if (this != SERVER) {
                p.put("spring.main.web-application-type", "none");
                p.put("spring.main.banner-mode", "off");
            }
            return p;
        }
    }
}
