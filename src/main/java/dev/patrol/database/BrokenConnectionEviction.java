package dev.patrol.database;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells the pool to drop a connection that failed as a broken one. The pool itself recognises only SQL states of
 * class 08; H2 reports a broken or closed connection with codes of its own, and without this the dead connection
 * went back to the pool and was handed out again.
 */
public class BrokenConnectionEviction implements SQLExceptionOverride {

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return DatabaseFailures.isConnectionFailure(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
