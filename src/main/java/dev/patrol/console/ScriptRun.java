package dev.patrol.console;

import java.util.ArrayList;
import java.util.List;

/**
 * One script run as the command line asked for it. Runner options ({@code --dry-run}, {@code --as USERNAME},
 * {@code --debug}, {@code --help}) may stand before or after the script name; everything else after the name,
 * and everything after {@code --}, is the script's own.
 *
 * @param script    a path, or a name found in {@code console-scripts/}
 * @param args      the script's arguments
 * @param operator  the administrator the changes are attributed to
 */
public record ScriptRun(String script, List<String> args, String operator, boolean dryRun, boolean debug,
        boolean help) {

    public static final String DEFAULT_OPERATOR = "root";
    public static final String USAGE = "Usage: runner [--dry-run] [--as USERNAME] [--debug] SCRIPT [ARGS...] "
            + "(SCRIPT --help prints what a script does)";

    public static ScriptRun of(String script, String... args) {
        return new ScriptRun(script, List.of(args), DEFAULT_OPERATOR, false, false, false);
    }

    public ScriptRun withDryRun() {
        return new ScriptRun(script, args, operator, true, debug, help);
    }

    public ScriptRun as(String username) {
        return new ScriptRun(script, args, username, dryRun, debug, help);
    }

    /** Parses {@code [OPTIONS] SCRIPT [ARGS]}; a missing script or a dangling {@code --as} is a usage error. */
    public static ScriptRun parse(List<String> commandLine) {
        String script = null;
        List<String> args = new ArrayList<>();
        String operator = DEFAULT_OPERATOR;
        boolean dryRun = false;
        boolean debug = false;
        boolean help = false;
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
        return new ScriptRun(script, List.copyOf(args), operator, dryRun, debug, help);
    }

    /** The command line cannot be run as given. */
    public static class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
