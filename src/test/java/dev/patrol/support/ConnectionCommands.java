package dev.patrol.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;

/**
 * Sees the commands other than statements that the pool's connections are asked to send: transaction control
 * (auto-commit, commit, rollback, savepoints), session state (read-only, isolation) and the pool's liveness check.
 * Each counts as a networked driver that tracks its session state sends it (Connector/J with
 * {@code useLocalSessionState}, as Patrol configures it): a setting only when it changes, a commit or rollback only
 * inside a transaction. It sits between the pool and the driver in every test context; nothing is kept unless a test
 * listens ({@link SqlRecorder#requestDuring}).
 */
public final class ConnectionCommands implements BeanPostProcessor {

    /** A command, and the thread that sent it (the one that ran the statements of the same work). */
    public record Command(long threadId, String command) {

        /** The pool's liveness check on checkout: a round trip, but no transaction command. */
        public boolean isPing() {
            return PING.equals(command);
        }
    }

    static final String PING = "PING";
    private static final List<Consumer<Command>> LISTENERS = new CopyOnWriteArrayList<>();

    /** Every command sent while {@code work} runs, by any thread, in order. */
    public static List<Command> during(Runnable work) {
        List<Command> commands = Collections.synchronizedList(new ArrayList<>());
        Consumer<Command> listener = commands::add;
        LISTENERS.add(listener);
        try {
            work.run();
        } finally {
            LISTENERS.remove(listener);
        }
        return List.copyOf(commands);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && pool.getDataSource() == null && pool.getJdbcUrl() != null
                && pool.getHikariPoolMXBean() == null) {
            Properties properties = new Properties();
            properties.putAll(pool.getDataSourceProperties());
            DataSource driver = new DriverDataSource(pool.getJdbcUrl(), pool.getDriverClassName(), properties,
                    pool.getUsername(), pool.getPassword());
            pool.setDataSource(new CountingDataSource(driver));
        }
        return bean;
    }

    private record CountingDataSource(DataSource driver) implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            return counting(driver.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return counting(driver.getConnection(username, password));
        }

        @Override
        public java.io.PrintWriter getLogWriter() throws SQLException {
            return driver.getLogWriter();
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) throws SQLException {
            driver.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            driver.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return driver.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return driver.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return driver.isWrapperFor(type);
        }
    }

    private static Connection counting(Connection target) {
        return (Connection) Proxy.newProxyInstance(ConnectionCommands.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    String command = LISTENERS.isEmpty() ? null : command(target, method, args);
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (command != null) {
                            Command sent = new Command(Thread.currentThread().threadId(), command);
                            LISTENERS.forEach(listener -> listener.accept(sent));
                        }
                    }
                });
    }

    /** What the call sends to the server, or null when it sends nothing but statements or nothing at all. */
    private static String command(Connection c, Method method, Object[] args) throws SQLException {
        return switch (method.getName()) {
            case "setAutoCommit" -> c.getAutoCommit() == (Boolean) args[0] ? null
                    : "SET autocommit=" + ((Boolean) args[0] ? 1 : 0);
            case "commit" -> c.getAutoCommit() ? null : "COMMIT";
            case "rollback" -> c.getAutoCommit() ? null : args == null ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT";
            case "setSavepoint" -> "SAVEPOINT";
            case "releaseSavepoint" -> "RELEASE SAVEPOINT";
            case "setReadOnly" -> c.isReadOnly() == (Boolean) args[0] ? null
                    : "SET SESSION TRANSACTION " + ((Boolean) args[0] ? "READ ONLY" : "READ WRITE");
            case "setTransactionIsolation" -> c.getTransactionIsolation() == (Integer) args[0] ? null
                    : "SET SESSION TRANSACTION ISOLATION LEVEL";
            case "isValid" -> PING;
            default -> null;
        };
    }
}
