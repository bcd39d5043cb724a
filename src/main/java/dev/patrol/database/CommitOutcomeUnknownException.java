package dev.patrol.database;

import org.springframework.transaction.TransactionSystemException;

/**
 * The connection broke while a transaction was committing: the database may or may not have applied it, so it is
 * never retried, and the client is told to check before trying again.
 */
public class CommitOutcomeUnknownException extends TransactionSystemException {

    public CommitOutcomeUnknownException(Throwable cause) {
        super("The connection broke during commit; the outcome is unknown", cause);
    }
}
