package dev.patrol.console;

import java.util.ArrayList;
import java.util.List;

/**
 * One script run as the command line asked for it. Runner options ({@code --dry-run}, {@code --as USERNAME},
 * {@code --debug}, {@code --help}) may stand before or after the script name; everything else after the name,
 * and everything after {@code --}, is the script's own. {@code -e CODE} (or {@code --eval CODE}) runs the code
 * itself instead of a script file, as {@code gitlab-rails runner "CODE"} does.
 *
 * @param script    a path, or a name found in {@code console-scripts/}; {@link #EVAL} for inline code
 * @param args      the script's arguments
 * @param operator  the administrator the changes are attributed to
 * @param code      the inline code of {@code -e}, else null
 */
public record ScriptRun(String script, List<String> args, String operator, boolean dryRun, boolean debug,
        boolean help, String code) {

    public static final String DEFAULT_OPERATOR = "root";
    /** The name inline code goes by in errors ({@code ERROR eval:1: ...}). */
    public static final String EVAL = "eval";
    public static final String USAGE = "Usage: runner [--dry-run] [--as USERNAME] [--debug] SCRIPT [ARGS...] "
            + "(SCRIPT --help prints what a script does), or runner [OPTIONS] -e 'CODE' [ARGS...]";

    public ScriptRun(String script, List<String> args, String operator, boolean dryRun, boolean debug,
            boolean help) {
        this(script, args, operator, dryRun, debug, help, null);
    }

    public static ScriptRun of(String script, String... args) {
        return new ScriptRun(script, List.of(args), DEFAULT_OPERATOR, false, false, false);
    }

    /** Inline code, as {@code runner -e CODE}. */
    public static ScriptRun eval(String code, String... args) {
        return new ScriptRun(EVAL, List.of(args), DEFAULT_OPERATOR, false, false, false, code);
    }

    public ScriptRun withDryRun() {
        return new ScriptRun(script, args, operator, true, debug, help, code);
    }

    public ScriptRun as(String username) {
        return new ScriptRun(script, args, username, dryRun, debug, help, code);
    }

    /** Parses {@code [OPTIONS] SCRIPT [ARGS]}; a missing script or a dangling {@code --as} is a usage error. */
    public static ScriptRun parse(List<String> commandLine) {
        String script = null;
        List<String> args = new ArrayList<>();
        String operator = DEFAULT_OPERATOR;
        boolean dryRun = false;
        boolean debug = false;
        boolean help = false;
        String code = null;
        boolean passThrough = false;
        for (int i = 0; i < commandLine.size(); i++) {
            String a = commandLine.get(i);
            if (passThrough) {
                args.add(a);
                continue;
            }
            switch (a) {
                case "--" -> passThrough = script != null;
                case "--dry-run" -> dryRun = true;
                case "--debug" -> debug = true;
                case "--help", "-h" -> help = true;
                case "--as" -> {
                    if (i + 1 >= commandLine.size()) {
                        throw new UsageException("--as needs a username.");
                    }
                    operator = commandLine.get(++i);
                }
                case "-e", "--eval" -> {
                    if (script != null || i + 1 >= commandLine.size()) {
                        throw new UsageException(a + " needs the code to run, instead of a script: runner " + a
                                + " 'println Users.findByUsername(\"root\").email'");
                    }
                    code = commandLine.get(++i);
                    script = EVAL;
                }
                default -> {
                    if (script == null) {
                        script = a;
                    } else {
                        args.add(a);
                    }
                }
            }
        }
        if (script == null) {
            throw new UsageException(USAGE);
        }
        return new ScriptRun(script, List.copyOf(args), operator, dryRun, debug, help, code);
    }

    /** The command line cannot be run as given. */
    public static class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
