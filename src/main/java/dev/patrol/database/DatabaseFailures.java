package dev.patrol.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.transaction.TransactionSystemException;

/**
 * What a failed database call means, read from the JDBC exceptions behind it whatever wraps them (Spring's, jOOQ's,
 * the pool's): the database cannot be reached or stopped answering, the transaction lost a conflict with another
 * one, or something else.
 */
public final class DatabaseFailures {

    /**
     * Conflicts with a concurrent transaction, which rolled this one back. MySQL and MariaDB: 1205 lock wait timeout,
     * 1213 deadlock, 1467 an AUTO_INCREMENT lock lost to a concurrent INSERT ... SELECT, 1062 a unique key that
     * another transaction took first. H2: 50200 lock timeout, 40001 deadlock, 90131 concurrent update, 23505 unique
     * key.
     */
    private static final Set<Integer> CONFLICT_CODES = Set.of(1205, 1213, 1467, 1062, 50200, 40001, 90131, 23505);

    /** H2's codes for a connection that broke (90067, 90028 end of stream) or was closed under the caller. */
    private static final Set<Integer> H2_CONNECTION_CODES = Set.of(90067, 90028, 90098, 90121);

    private DatabaseFailures() {
    }

    /** The database cannot be reached, stopped answering, or a commit's outcome is unknown. */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof CommitOutcomeUnknownException || t instanceof SQLException s && isConnectionFailure(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Worth running the whole transaction again: it failed before its commit because its connection broke, or it
     * lost a conflict with another transaction. Not when no connection could be had at all (the pool has already
     * waited its time) nor when the commit itself failed, since it may have been applied.
     */
    public static boolean worthRetrying(Throwable failure) {
        boolean retry = false;
        for (Throwable t : chain(failure)) {
            if (t instanceof CommitOutcomeUnknownException || t instanceof SQLTransientConnectionException) {
                return false;
            }
            if (t instanceof SQLException s && (isConnectionFailure(s) || isConflict(s))) {
                retry = true;
            }
        }
        return retry;
    }

    /** The pool gave up waiting for a connection. */
    static boolean poolTimedOut(Throwable failure) {
        return first(failure, SQLTransientConnectionException.class) != null;
    }

    /** The connection this exception came from is of no further use. */
    static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLNonTransientConnectionException || e instanceof SQLTransientConnectionException
                || e instanceof SQLRecoverableException || state != null && state.startsWith("08")
                || H2_CONNECTION_CODES.contains(e.getErrorCode());
    }

    private static boolean isConflict(SQLException e) {
        return e instanceof SQLTransactionRollbackException || "40001".equals(e.getSQLState())
                || CONFLICT_CODES.contains(e.getErrorCode());
    }

    /**
     * For the log: the SQL state and error code of the innermost JDBC exception that has a state, never its message
     * (it may hold SQL).
     */
    static String describe(Throwable failure) {
        SQLException innermost = null;
        for (Throwable t : chain(failure)) {
            if (t instanceof SQLException s && (s.getSQLState() != null || innermost == null)) {
                innermost = s;
            }
        }
        return innermost == null ? "no SQL state" : "SQL state " + innermost.getSQLState() + ", error "
                + innermost.getErrorCode();
    }

    /** The connection broke (not: no connection could be had, or the commit's outcome is unknown). */
    static boolean connectionLost(Throwable failure) {
        return isUnavailable(failure) && !poolTimedOut(failure)
                && first(failure, CommitOutcomeUnknownException.class) == null;
    }

    /**
     * The exception and its causes; when a rollback failed after the work had failed, the work's exception (which
     * Spring keeps as the "application exception") and its causes first.
     */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            if (t instanceof TransactionSystemException rollback && rollback.getApplicationException() != null) {
                chain.addAll(0, chain(rollback.getApplicationException()));
            }
            chain.add(t);
        }
        return chain;
    }

    static <T extends Throwable> T first(Throwable failure, Class<T> type) {
        for (Throwable t : chain(failure)) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
