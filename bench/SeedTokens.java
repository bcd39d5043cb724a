import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import dev.patrol.token.TokenSecrets;
import dev.patrol.token.TokenType;

/**
 * Fallback estate for the benchmark while the console's generate_inventory.groovy is not on this branch: USERS
 * human users and TOKENS active personal access tokens (scopes api and read_api, expiring within a year), written
 * with batched INSERTs in the token format of Patrol's own {@link TokenSecrets}. Writes the first SECRETS token
 * values, one a line, to SECRETS_FILE. Bench data only: it bypasses the services (and so the audit log) on purpose.
 *
 * <pre>java -cp target/classes:mysql-connector-j.jar SeedTokens.java JDBC_URL USER PASSWORD USERS TOKENS SECRETS SECRETS_FILE</pre>
 */
public class SeedTokens {

    private static final int BATCH = 5_000;

    public static void main(String[] a) throws Exception {
        String url = a[0] + (a[0].contains("?") ? "&" : "?") + "rewriteBatchedStatements=true";
        int users = Integer.parseInt(a[3]);
        int tokens = Integer.parseInt(a[4]);
        int secretCount = Integer.parseInt(a[5]);
        Path secretsFile = Path.of(a[6]);
        LocalDateTime now = LocalDateTime.now(java.time.ZoneOffset.UTC);
        LocalDate today = now.toLocalDate();
        List<String> secrets = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, a[1], a[2])) {
            c.setAutoCommit(false);
            long firstUser = nextId(c, "users");
            try (PreparedStatement s = c.prepareStatement("INSERT INTO users (id, username, name, email, kind, admin,"
                    + " state, created_at) VALUES (?, ?, ?, ?, 'HUMAN', FALSE, 'ACTIVE', ?)")) {
                for (int i = 0; i < users; i++) {
                    long id = firstUser + i;
                    s.setLong(1, id);
                    s.setString(2, "bench-user-" + id);
                    s.setString(3, "Bench user " + id);
                    s.setString(4, "bench-user-" + id + "@example.com");
                    s.setTimestamp(5, Timestamp.valueOf(now));
                    s.addBatch();
                    if ((i + 1) % BATCH == 0 || i == users - 1) {
                        s.executeBatch();
                        c.commit();
                    }
                }
            }
            long firstToken = nextId(c, "access_tokens");
            try (PreparedStatement t = c.prepareStatement("INSERT INTO access_tokens (id, type, name, user_id, digest,"
                    + " display_prefix, created_at, created_by_id, expires_at) VALUES (?, 'PERSONAL', ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement sc = c.prepareStatement(
                            "INSERT INTO access_token_scopes (token_id, scope) VALUES (?, ?)")) {
                for (int i = 0; i < tokens; i++) {
                    long id = firstToken + i;
                    long userId = firstUser + i % users;
                    String value = TokenSecrets.generate(TokenType.PERSONAL);
                    if (secrets.size() < secretCount) {
                        secrets.add(value);
                    }
                    t.setLong(1, id);
                    t.setString(2, "bench token " + id);
                    t.setLong(3, userId);
                    t.setBytes(4, TokenSecrets.digest(value));
                    t.setString(5, TokenSecrets.displayPrefix(value, TokenType.PERSONAL.prefix()));
                    t.setTimestamp(6, Timestamp.valueOf(now.minusMinutes(i % 525_600)));
                    t.setLong(7, userId);
                    t.setDate(8, Date.valueOf(today.plusDays(1 + i % 365)));
                    t.addBatch();
                    for (String scope : List.of("api", "read_api")) {
                        sc.setLong(1, id);
                        sc.setString(2, scope);
                        sc.addBatch();
                    }
                    if ((i + 1) % BATCH == 0 || i == tokens - 1) {
                        t.executeBatch();
                        sc.executeBatch();
                        c.commit();
                    }
                }
            }
        }
        Files.write(secretsFile, secrets);
        System.out.printf("seeded %d users and %d personal access tokens; %d secrets in %s%n", users, tokens,
                secrets.size(), secretsFile);
    }

    private static long nextId(Connection c, String table) throws Exception {
        try (ResultSet r = c.createStatement().executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }
}
