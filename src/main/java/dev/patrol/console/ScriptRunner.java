package dev.patrol.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.shared.PatrolException;
import dev.patrol.shared.Source;
import groovy.lang.Binding;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyShell;
import groovy.lang.Script;

/**
 * Runs one Groovy script (a file, or inline code from {@code -e}) as an administrator, like
 * {@code gitlab-rails runner}: in one transaction that commits
 * when the script ends (or rolls back on failure, or always under {@code --dry-run}), with every change made
 * through the services and audited with the operator and source {@code console}.
 */
@Service
public class ScriptRunner {

    /**
     * Exit codes: the script ran; it failed (nothing committed); the command line or the operator was wrong (2 is also
     * "could not start", see PatrolApplication#main).
     */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    static final String SCRIPTS_DIR = "console-scripts";

    private final ConsoleServices services;

    ScriptRunner(ConsoleServices services) {
        this.services = services;
    }

    public int run(ScriptRun run, PrintWriter out, PrintWriter err) {
        try {
            Optional<ScriptSource> source = run.code() != null
                    ? Optional.of(ScriptSource.of(ScriptRun.EVAL, run.code()))
                    : find(run.script());
            if (source.isEmpty()) {
                err.println("Script not found: " + run.script() + " (looked in ./ and " + SCRIPTS_DIR + "/)");
                return USAGE;
            }
            if (run.help()) {
                out.println(source.get().header().isBlank() ? source.get().name() + " has no description."
                        : source.get().header());
                return OK;
            }
            Optional<User> operator = operator(run.operator(), err);
            if (operator.isEmpty()) {
                return USAGE;
            }
            Script script;
            try {
                script = compile(source.get());
            } catch (CompilationFailedException e) {
                err.println("ERROR " + compilationError(source.get().name(), e));
                return FAILED;
            }
            return execute(run, source.get(), script, operator.get(), out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int execute(ScriptRun run, ScriptSource source, Script script, User operator, PrintWriter out,
            PrintWriter err) {
        Actor actor = actor(operator);
        // inside a console sandbox, transaction {} must not commit either
        boolean rolledBackAnyway = run.dryRun() || TransactionSynchronizationManager.isActualTransactionActive();
        ScriptContext context = new ScriptContext(services, operator, actor, out, rolledBackAnyway, source.header());
        script.setBinding(new Binding(context.bindings(new ArrayList<>(run.args()))));
        TransactionTemplate transaction = new TransactionTemplate(services.transactionManager());
        // a savepoint when a console sandbox is open, so a failed script leaves the sandbox as it was
        transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        try {
            transaction.executeWithoutResult(status -> {
                script.run();
                out.flush();
                if (run.dryRun()) {
                    status.setRollbackOnly();
                }
            });
        } catch (RuntimeException e) {
            out.flush();
            err.println("ERROR " + describe(source.name(), e));
            if (run.debug()) {
                e.printStackTrace(err);
            }
            err.println("Nothing was changed.");
            return FAILED;
        }
        if (run.dryRun()) {
            err.println("Dry run: every change was rolled back.");
        }
        return OK;
    }

    static Actor actor(User operator) {
        return new Actor(operator.id(), operator.username(), operator.admin(), Source.CONSOLE, null);
    }

    /** The operator, when they may use the console: an existing, unblocked administrator. */
    Optional<User> operator(String username, PrintWriter err) {
        Optional<User> user = services.ownerRepository().findUserByUsername(username);
        if (user.isEmpty()) {
            err.println("No user '" + username + "': --as needs an administrator's username.");
            return Optional.empty();
        }
        if (!user.get().admin() || user.get().isBlocked()) {
            err.println("User '" + username + "' is not an active administrator; the console is for administrators.");
            return Optional.empty();
        }
        return user;
    }

    Script compile(ScriptSource source) {
        return shell(new Binding()).parse(new GroovyCodeSource(source.text(), source.name(), "/groovy/script"));
    }

    static GroovyShell shell(Binding binding) {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(PatrolScript.class.getName());
        config.addCompilationCustomizers(new ImportCustomizer()
                .addStaticStars("patrol.jooq.Tables")
                .addStarImports("java.time"));
        return new GroovyShell(ScriptRunner.class.getClassLoader(), binding, config);
    }

    /** A script by path, else by name (with or without .groovy) from ./console-scripts/, else the jar's copy. */
    Optional<ScriptSource> find(String nameOrPath) {
        String withExtension = nameOrPath.endsWith(".groovy") ? nameOrPath : nameOrPath + ".groovy";
        for (String candidate : List.of(nameOrPath, withExtension, SCRIPTS_DIR + "/" + withExtension)) {
            Path path = Path.of(candidate);
            if (Files.isRegularFile(path)) {
                return read(path.getFileName().toString(), new FileSystemResource(path));
            }
        }
        String fileName = Path.of(withExtension).getFileName().toString();
        ClassPathResource packaged = new ClassPathResource(SCRIPTS_DIR + "/" + fileName);
        return packaged.exists() ? read(fileName, packaged) : Optional.empty();
    }

    private static Optional<ScriptSource> read(String name, Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return Optional.of(ScriptSource.of(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    static String compilationError(String name, CompilationFailedException e) {
        if (e instanceof MultipleCompilationErrorsException multiple
                && multiple.getErrorCollector().getSyntaxError(0) != null) {
            SyntaxException syntax = multiple.getErrorCollector().getSyntaxError(0);
            return name + ":" + syntax.getLine() + ": " + syntax.getOriginalMessage();
        }
        return name + ": " + e.getMessage().lines().filter(l -> !l.isBlank()).skip(1).findFirst().orElse("does not compile");
    }

    /** {@code file:line: message}, without stack trace, SQL or secrets. */
    static String describe(String name, Throwable e) {
        String where = name + lineOf(name, e).map(line -> ":" + line).orElse("");
        return where + ": " + message(e);
    }

    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PatrolException || t instanceof ScriptFailure) {
                return t.getMessage();
            }
            if (t instanceof DataAccessException) {
                return "a database statement failed (run with --debug to see it)";
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }

    private static Optional<Integer> lineOf(String name, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (name.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                    return Optional.of(frame.getLineNumber());
                }
            }
        }
        return Optional.empty();
    }

    /** The scripts in ./console-scripts/ and in the jar, each with the first line of its header. */
    public Map<String, String> scripts() {
        Map<String, String> found = new TreeMap<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:" + SCRIPTS_DIR + "/*.groovy")) {
                find(r.getFilename()).ifPresent(s -> found.put(s.name(), s.summary()));
            }
            Path dir = Path.of(SCRIPTS_DIR);
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    files.filter(p -> p.toString().endsWith(".groovy"))
                            .forEach(p -> find(p.toString()).ifPresent(s -> found.put(s.name(), s.summary())));
                }
            }
        } catch (IOException unreadable) {
            // a listing is best effort: what was found so far is still useful
        }
        return found;
    }

    /** A script's name and text; its header is the leading comment block, which {@code --help} prints. */
    record ScriptSource(String name, String text, String header) {

        static ScriptSource of(String name, String text) {
            List<String> lines = new ArrayList<>();
            for (String line : text.lines().toList()) {
                String trimmed = line.strip();
                if (trimmed.startsWith("//")) {
                    lines.add(trimmed.substring(2).strip());
                } else if (!trimmed.isEmpty() || !lines.isEmpty()) {
                    break;
                }
            }
            return new ScriptSource(name, text, String.join(System.lineSeparator(), lines).strip());
        }

        String summary() {
            return header.lines().findFirst().orElse("");
        }
    }
}
