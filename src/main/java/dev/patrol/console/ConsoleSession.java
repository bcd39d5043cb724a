package dev.patrol.console;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.codehaus.groovy.control.CompilationFailedException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.patrol.owner.User;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;

/**
 * One interactive console session: its operator, whether it is a sandbox, and the Groovy variables that live
 * from one line to the next. Each evaluation runs in a transaction of its own (a savepoint inside the sandbox's
 * one transaction), so a failing line changes nothing and a sandbox keeps its changes until it ends.
 */
public final class ConsoleSession {

    /** {@code def x = ...} at the start of a line: kept as a session variable instead of a local. */
    private static final Pattern DEF = Pattern.compile("^(\\s*)def\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=", Pattern.MULTILINE);

    private final ConsoleServices services;
    private final ScriptRunner runner;
    private final User operator;
    private final boolean sandbox;
    private final PrintWriter out;
    private final Binding binding;
    private final AtomicInteger lines = new AtomicInteger();
    private TransactionStatus sandboxTransaction;

    ConsoleSession(ConsoleServices services, ScriptRunner runner, User operator, boolean sandbox, PrintWriter out) {
        this.services = services;
        this.runner = runner;
        this.operator = operator;
        this.sandbox = sandbox;
        this.out = out;
        ScriptContext context = new ScriptContext(services, operator, ScriptRunner.actor(operator), out, sandbox,
                null);
        this.binding = new Binding(context.bindings(new ArrayList<>()));
    }

    public User operator() {
        return operator;
    }

    public boolean sandbox() {
        return sandbox;
    }

    ScriptContext context() {
        return (ScriptContext) binding.getVariable("console");
    }

    /** Opens the sandbox's transaction; everything until {@link #end} happens inside it. */
    void begin() {
        if (sandbox) {
            sandboxTransaction = services.transactionManager().getTransaction(new DefaultTransactionDefinition());
        }
    }

    /** Ends the session: a sandbox rolls back every change made in it. */
    void end() {
        if (sandboxTransaction != null) {
            services.transactionManager().rollback(sandboxTransaction);
            sandboxTransaction = null;
            out.println("Sandbox closed: every change was rolled back.");
            out.flush();
        }
    }

    /**
     * Whether the code is complete, or a multi-line statement still waiting for its end: it compiles, or it does
     * not but every bracket is closed (then evaluating it shows the error).
     */
    boolean isComplete(String code) {
        try {
            ScriptRunner.shell(new Binding()).parse(code, "check.groovy");
            return true;
        } catch (CompilationFailedException e) {
            return openBrackets(code) <= 0;
        }
    }

    /** Brackets opened and not closed, outside string literals (a triple-quoted string still open counts too). */
    static int openBrackets(String code) {
        int depth = 0;
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (code.startsWith("\"\"\"", i) || code.startsWith("'''", i)) {
                int end = code.indexOf(code.substring(i, i + 3), i + 3);
                if (end < 0) {
                    return depth + 1;
                }
                i = end + 3;
                continue;
            }
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < code.length() && code.charAt(end) != c && code.charAt(end) != '\n') {
                    end += code.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            i++;
        }
        return depth;
    }

    /** Evaluates code, prints its result readably (or a one-line error) and returns whether it succeeded. */
    boolean evaluate(String code) {
        String name = "console" + lines.incrementAndGet() + ".groovy";
        GroovyShell shell = ScriptRunner.shell(binding);
        TransactionTemplate transaction = new TransactionTemplate(services.transactionManager());
        transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        try {
            Object result = transaction.execute(status -> shell.evaluate(DEF.matcher(code).replaceAll("$1$2 ="), name));
            out.flush();
            if (result != null) {
                out.println("=> " + render(result));
            }
            return true;
        } catch (CompilationFailedException e) {
            out.println("ERROR " + ScriptRunner.compilationError(name, e).replace(name + ":", "line "));
        } catch (RuntimeException e) {
            out.println("ERROR " + ScriptRunner.message(e));
        }
        out.flush();
        return false;
    }

    /**
     * Runs one console command's work like a line of Groovy: in its own transaction (a savepoint in a sandbox),
     * printing its result or a one-line error.
     */
    boolean attempt(java.util.function.Supplier<String> work) {
        TransactionTemplate transaction = new TransactionTemplate(services.transactionManager());
        transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        try {
            String result = transaction.execute(status -> work.get());
            out.println(result);
            return true;
        } catch (RuntimeException e) {
            out.println("ERROR " + ScriptRunner.message(e));
            return false;
        } finally {
            out.flush();
        }
    }

    /** Runs a script from console-scripts/ (or a path) as this session's operator. */
    int runScript(String script, List<String> args, PrintWriter err) {
        return runner.run(new ScriptRun(script, args, operator.username(), false, false, false), out, err);
    }

    public Map<String, String> scripts() {
        return runner.scripts();
    }

    static String render(Object result) {
        if (result instanceof Collection<?> items && !items.isEmpty()
                && items.iterator().next() instanceof TokenHandle || result instanceof Collection<?> users
                && !users.isEmpty() && users.iterator().next() instanceof UserHandle) {
            StringBuilder b = new StringBuilder(((Collection<?>) result).size() + " items");
            for (Object item : (Collection<?>) result) {
                b.append(System.lineSeparator()).append("   ").append(item);
            }
            return b.toString();
        }
        return org.codehaus.groovy.runtime.InvokerHelper.inspect(result);
    }
}
