package dev.patrol.console;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import groovy.lang.Closure;
import groovy.lang.Script;

/**
 * The base class of every console script and REPL line: argument helpers, {@code fail} and chunked commits.
 * Positional arguments are the script's arguments that are neither {@code --name} options nor their values.
 */
public abstract class PatrolScript extends Script {

    private ScriptContext context() {
        return (ScriptContext) getBinding().getVariable("console");
    }

    @SuppressWarnings("unchecked")
    private List<String> arguments() {
        return (List<String>) getBinding().getVariable("args");
    }

    /**
     * A line of text straight to the script's writer. Groovy's own {@code println} finds {@code out} and calls its
     * {@code println} reflectively on every line, which a walk printing a hundred thousand rows felt; anything but
     * text keeps Groovy's formatting ({@code [a:1]} for a map).
     */
    @Override
    public void println(Object value) {
        if (value instanceof CharSequence text && getBinding().getVariables().get("out") instanceof PrintWriter out) {
            out.println(text.toString());
            return;
        }
        super.println(value);
    }

    /** Stops the script: the runner prints the message and exits non-zero; nothing is committed. */
    public void fail(String message) {
        throw new ScriptFailure(message);
    }

    /** Whether {@code --name} was given. */
    public boolean flag(String name) {
        return arguments().contains("--" + name);
    }

    /**
     * The value of {@code --name VALUE} or {@code --name=VALUE}, converted to the type of the default
     * (Integer, Long, LocalDate or String).
     */
    public Object option(String name, Object defaultValue) {
        List<String> args = arguments();
        String raw = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--" + name)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new ScriptFailure("--" + name + " needs a value.");
                }
                raw = args.get(i + 1);
            } else if (a.startsWith("--" + name + "=")) {
                raw = a.substring(name.length() + 3);
            }
        }
        if (raw == null) {
            return defaultValue;
        }
        return convert("--" + name, raw, defaultValue == null ? String.class : defaultValue.getClass());
    }

    /** The positional argument at {@code index}, or the default when it is missing. */
    public String argument(int index, String fallback) {
        List<String> positional = positional();
        return index < positional.size() ? positional.get(index) : fallback;
    }

    /** The positional argument at {@code index}; the script fails with a usage message naming it when missing. */
    public String argument(int index) {
        String value = argument(index, null);
        if (value == null) {
            throw new ScriptFailure("Missing argument " + (index + 1) + ". " + context().usage());
        }
        return value;
    }

    /** The positional argument at {@code index} as a date (YYYY-MM-DD); required when no default is given. */
    public LocalDate date(int index, LocalDate fallback) {
        String raw = argument(index, null);
        return raw == null ? fallback : (LocalDate) convert("argument " + (index + 1), raw, LocalDate.class);
    }

    public LocalDate date(int index) {
        return (LocalDate) convert("argument " + (index + 1), argument(index), LocalDate.class);
    }

    /**
     * Runs the closure in a transaction of its own that commits when it returns, for batch work too large for
     * one transaction. Under {@code --dry-run} or {@code --sandbox} it joins the outer transaction instead, so
     * everything is still rolled back.
     */
    public Object transaction(Closure<?> work) {
        return context().inOwnTransaction(work::call);
    }

    /** Whether changes will be rolled back at the end (runner {@code --dry-run}, console {@code --sandbox}). */
    public boolean isDryRun() {
        return context().dryRun();
    }

    private List<String> positional() {
        List<String> args = arguments();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                if (!a.contains("=") && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    i++;
                }
            } else {
                positional.add(a);
            }
        }
        return positional;
    }

    private static Object convert(String what, String raw, Class<?> type) {
        try {
            if (type == Integer.class) {
                return Integer.valueOf(raw);
            }
            if (type == Long.class) {
                return Long.valueOf(raw);
            }
            if (type == LocalDate.class) {
                return LocalDate.parse(raw);
            }
            return raw;
        } catch (NumberFormatException e) {
            throw new ScriptFailure(what + " must be a whole number, not '" + raw + "'.");
        } catch (DateTimeParseException e) {
            throw new ScriptFailure(what + " must be a date like 2024-05-22, not '" + raw + "'.");
        }
    }
}
