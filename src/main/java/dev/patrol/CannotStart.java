package dev.patrol;

import java.sql.SQLException;
import java.util.Optional;

import org.springframework.core.NestedExceptionUtils;

/**
 * A reason Patrol refuses to start, told in one line: the runner and the console print it and exit 2, a server's
 * start-up report shows it (see {@link CannotStartFailureAnalyzer}).
 */
public class CannotStart extends RuntimeException {

    /** H2's "Database may be already in use": another process holds the embedded database's file lock. */
    static final int H2_DATABASE_ALREADY_OPEN = 90020;

    public CannotStart(String message) {
        super(message);
    }

    /** The one-line reason for a known start failure, found anywhere in the cause chain. */
    static Optional<String> reasonOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CannotStart known) {
                return Optional.of(known.getMessage());
            }
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return Optional.of("The embedded database is in use by another process (a running Patrol server?): "
                        + "stop it first, or run Patrol on MySQL/MariaDB.");
            }
        }
        return Optional.empty();
    }

    /** A known reason, else the most specific cause's first line. */
    static String describe(Throwable failure) {
        return reasonOf(failure).orElseGet(() -> {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getMessage().lines().findFirst().orElse("");
            return "Patrol could not start: " + message;
        });
    }
}
