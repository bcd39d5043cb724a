package dev.patrol.database;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.JdbcTransactionObjectSupport;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.interceptor.TransactionAttributeSource;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Transactions that fail safe: the transaction manager reports a commit whose connection broke as
 * {@link CommitOutcomeUnknownException}, and every {@code @Transactional} method that starts a transaction runs
 * under {@link TransactionRetry}, ordered outside the transaction so that each attempt is a transaction of its own.
 * A method that joins a transaction already running is left to whoever started it.
 */
@Configuration(proxyBeanMethods = false)
class TransactionConfig {

    /**
     * Boot's own choice (a {@link JdbcTransactionManager}, with Boot's customizers), plus the commit rule, and a commit
     * that costs one round trip less. The pool hands out connections in auto-commit mode (Hikari's default, which
     * Patrol keeps: the authentication read and other single statements outside a transaction need no commit), so a
     * transaction turns auto-commit off, commits, and turns it on again: three commands besides its statements.
     * Turning auto-commit on commits the open transaction (JDBC's {@code setAutoCommit}; MySQL's
     * {@code SET autocommit=1}), so the commit is that one command, and restoring auto-commit afterwards finds it on
     * already (Connector/J's {@code useLocalSessionState} skips it). A commit that fails fails the same way: a lost
     * conflict (Galera's certification, 1213) leaves the transaction open for the rollback, a broken connection makes
     * the outcome unknown.
     */
    @Bean
    DataSourceTransactionManager transactionManager(DataSource dataSource,
            ObjectProvider<TransactionManagerCustomizers> customizers) {
        boolean pooledInAutoCommit = dataSource instanceof HikariDataSource pool && pool.isAutoCommit();
        DataSourceTransactionManager manager = new JdbcTransactionManager(dataSource) {
            @Override
            protected void doCommit(DefaultTransactionStatus status) {
                try {
                    if (pooledInAutoCommit) {
                        commitByRestoringAutoCommit(status);
                    } else {
                        super.doCommit(status);
                    }
                } catch (RuntimeException e) {
                    if (DatabaseFailures.isUnavailable(e)) {
                        throw new CommitOutcomeUnknownException(e);
                    }
                    throw e;
                }
            }

            private void commitByRestoringAutoCommit(DefaultTransactionStatus status) {
                Connection connection = ((JdbcTransactionObjectSupport) status.getTransaction()).getConnectionHolder()
                        .getConnection();
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException e) {
                    throw translateException("JDBC commit", e);
                }
            }
        };
        customizers.ifAvailable(c -> c.customize(manager));
        return manager;
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static TransactionRetry transactionRetry(ObjectProvider<DataSource> dataSource) {
        return new TransactionRetry(() -> dataSource.ifAvailable(DatabaseOutages::dropPooledConnections));
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor transactionRetryAdvisor(TransactionRetry retry) {
        TransactionAttributeSource transactional = new AnnotationTransactionAttributeSource(false);
        StaticMethodMatcherPointcut startsTransactions = new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return transactional.getTransactionAttribute(method, targetClass) != null;
            }
        };
        MethodInterceptor outsideTheTransaction = invocation ->
                TransactionSynchronizationManager.isActualTransactionActive()
                        ? invocation.proceed()
                        : retry.proceed((ProxyMethodInvocation) invocation);
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(startsTransactions, outsideTheTransaction);
        advisor.setOrder(Ordered.LOWEST_PRECEDENCE - 1);
        return advisor;
    }
}
