package dev.patrol.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every Spring test context a database of its own: an in-memory H2 by default, or, when
 * {@code PATROL_TEST_DB_URL} names a MySQL/MariaDB server (e.g. {@code jdbc:mysql://127.0.0.1:3306/}), a fresh
 * database on it that is dropped when the JVM exits. User and password come from {@code PATROL_TEST_DB_USER}
 * (default root) and {@code PATROL_TEST_DB_PASSWORD} (default empty).
 */
public class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Long.toString(ProcessHandle.current().pid());

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String server = System.getenv("PATROL_TEST_DB_URL");
        String url;
        String user;
        String password;
        if (server == null || server.isBlank()) {
            url = "jdbc:h2:mem:patrol-" + UUID.randomUUID()
                    + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;NON_KEYWORDS=VALUE,USER;DB_CLOSE_DELAY=-1";
            user = "sa";
            password = "";
        } else {
            user = env("PATROL_TEST_DB_USER", "root");
            password = env("PATROL_TEST_DB_PASSWORD", "");
            String name = "patrol_test_" + RUN + "_" + COUNTER.incrementAndGet();
            url = createDatabase(server, user, password, name);
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("patrolTestDatabase",
                Map.of("spring.datasource.url", url, "spring.datasource.username", user,
                        "spring.datasource.password", password)));
    }

    /** A JDBC URL for a new, empty database on the server; the database is dropped at JVM exit. */
    public static String createDatabase(String serverUrl, String user, String password, String name) {
        String base = serverUrl.replaceAll("\\?.*$", "");
        String params = serverUrl.contains("?") ? serverUrl.substring(serverUrl.indexOf('?')) : "";
        base = base.replaceAll("/[^/]*$", "");
        String serverOnly = base + "/" + params;
        exec(serverOnly, user, password, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> exec(serverOnly, user, password,
                "DROP DATABASE IF EXISTS " + name)));
        String sep = params.isEmpty() ? "?" : "&";
        return base + "/" + name + params + sep + "rewriteBatchedStatements=true";
    }

    private static void exec(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database setup failed: " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
