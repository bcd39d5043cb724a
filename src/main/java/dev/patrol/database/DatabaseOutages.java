package dev.patrol.database;

import java.sql.SQLTransientConnectionException;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * Turns a failure to use the database into what the client is told (the API answers 503 or
 * {@code SERVICE_UNAVAILABLE} with it) and one log line, telling apart a database that is down or frozen, a pool
 * whose every connection is busy under load, and a commit whose outcome is unknown.
 */
@Component
public class DatabaseOutages {

    static final String DOWN = "The database is unavailable; try again in a few seconds.";
    static final String BUSY = "Every database connection is in use (Patrol is under heavy load); try again in a few "
            + "seconds.";
    static final String COMMIT_UNKNOWN = "The connection to the database broke while the change was being saved, so "
            + "it may or may not have been saved; check before trying again.";

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutages.class);

    private final DataSource dataSource;

    public DatabaseOutages(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The message for a client when {@code failure} means the database cannot be used now; empty otherwise. */
    public Optional<String> messageFor(Throwable failure) {
        if (!DatabaseFailures.isUnavailable(failure)) {
            return Optional.empty();
        }
        if (DatabaseFailures.first(failure, CommitOutcomeUnknownException.class) != null) {
            log.warn("Database connection lost during a commit ({}); its outcome is unknown",
                    DatabaseFailures.describe(failure));
            return Optional.of(COMMIT_UNKNOWN);
        }
        if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null
                && busy(failure, hikari.getHikariPoolMXBean(), hikari.getMaximumPoolSize())) {
            HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
            log.warn("Database connection pool exhausted: {} of {} connections in use, {} requests waiting",
                    pool.getActiveConnections(), hikari.getMaximumPoolSize(), pool.getThreadsAwaitingConnection());
            return Optional.of(BUSY);
        }
        if (DatabaseFailures.connectionLost(failure)) {
            dropPooledConnections(dataSource);
        }
        log.warn("Database unavailable ({})", DatabaseFailures.poolTimedOut(failure)
                ? "no connection within the pool's timeout; " + DatabaseFailures.describe(failure)
                : "connection lost; " + DatabaseFailures.describe(failure));
        return Optional.of(DOWN);
    }

    /**
     * When one connection broke, the others to the same server usually have too (it restarted, or failed over): the
     * pool replaces them all rather than hand them out one by one, each failing a request. Connections in use are
     * replaced when they come back.
     */
    static void dropPooledConnections(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
            hikari.getHikariPoolMXBean().softEvictConnections();
        }
    }

    /**
     * The pool gave up waiting while every connection was checked out and none had failed to open: load, not an
     * outage. (The pool's timeout carries the last failed attempt to connect as its cause when there was one.)
     */
    private static boolean busy(Throwable failure, HikariPoolMXBean pool, int maximumPoolSize) {
        Throwable timeout = DatabaseFailures.first(failure, SQLTransientConnectionException.class);
        return timeout != null && timeout.getCause() == null && pool.getActiveConnections() >= maximumPoolSize;
    }
}
