package dev.patrol.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;

/** How the failures a MariaDB Galera cluster reports are read. */
class DatabaseFailuresTest {

    @Test
    void aCertificationConflictAtCommitIsRetriedAndIsNoOutage() {
        // what Connector/J throws when Galera's certification aborts a transaction another node's write beat
        SQLException conflict = new SQLTransactionRollbackException(
                "WSREP detected deadlock/conflict and aborted the transaction. Try restarting the transaction",
                "40001", 1213);
        RuntimeException wrapped = new CannotAcquireLockException("commit", conflict);

        assertThat(DatabaseFailures.worthRetrying(wrapped)).isTrue();
        assertThat(DatabaseFailures.isUnavailable(wrapped)).isFalse();
    }

    @Test
    void aNodeThatLeftThePrimaryComponentIsUnavailableAndRetriedOnAnotherConnection() {
        // error 1047, SQL state 08S01: the node lost quorum, or is still joining
        SQLException notReady = new SQLException("WSREP has not yet prepared node for application use", "08S01", 1047);

        assertThat(DatabaseFailures.worthRetrying(notReady)).isTrue();
        assertThat(DatabaseFailures.isUnavailable(notReady)).isTrue();
    }
}
