import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The database floor of each benchmark scenario: the SQL statements Patrol runs for one request, hand-written and
 * run over plain JDBC from THREADS connections for SECONDS. Prints one line:
 * {@code ops=N rps=R p50=X p99=Y stmts=S} (latencies in ms, stmts = SQL statements per operation).
 *
 * <pre>java -cp mysql-connector-j.jar SqlBench.java JDBC_URL USER PASSWORD SCENARIO THREADS SECONDS [ARGS]</pre>
 *
 * Scenarios: digest SECRETS_FILE | page [CREATED_AT ID] (the cursor; none = first page) | filtered | aggregates |
 * create-revoke USER_ID | rotate USER_ID.
 */
public class SqlBench {

    static final String TOKEN_COLUMNS = "id, type, name, description, user_id, project_id, group_id, resource_id,"
            + " root_group_id, access_level, username, display_prefix, created_at, created_by_id, expires_at,"
            + " revoked_at, revoke_reason, last_used_at, previous_token_id, family_id";

    interface Op {
        /** Runs one operation; returns the number of SQL statements it ran. */
        int run(Connection c, long n) throws Exception;
    }

    public static void main(String[] a) throws Exception {
        String url = a[0], user = a[1], password = a[2], scenario = a[3];
        int threads = Integer.parseInt(a[4]);
        long seconds = Long.parseLong(a[5]);
        String[] args = Arrays.copyOfRange(a, 6, a.length);
        Op op = switch (scenario) {
            case "digest" -> digest(Path.of(args[0]));
            case "page" -> page(args);
            case "filtered" -> filtered();
            case "aggregates" -> aggregates();
            case "create-revoke" -> createRevoke(Long.parseLong(args[0]));
            case "rotate" -> rotate(Long.parseLong(args[0]));
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
        run(url, user, password, op, threads, seconds);
    }

    static void run(String url, String user, String password, Op op, int threads, long seconds) throws Exception {
        long warmupEnd = System.nanoTime() + Math.min(seconds, 3) * 1_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        List<long[]> latencies = new ArrayList<>();
        long[] counts = new long[threads];
        AtomicLong statements = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int slot = t;
            latencies.add(null);
            workers.add(Thread.ofPlatform().start(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                try (Connection c = DriverManager.getConnection(url, user, password)) {
                    while (System.nanoTime() < warmupEnd) {
                        op.run(c, sequence.getAndIncrement());
                    }
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        statements.addAndGet(op.run(c, sequence.getAndIncrement()));
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = System.nanoTime() - now;
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
                latencies.set(slot, Arrays.copyOf(lat, n));
                counts[slot] = n;
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        if (!failures.isEmpty()) {
            System.err.println("SqlBench failed: " + failures.getFirst());
            System.exit(1);
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long ops = Arrays.stream(counts).sum();
        System.out.printf("ops=%d rps=%.1f p50=%.2f p99=%.2f stmts=%.1f%n", ops, ops / (double) seconds,
                percentile(all, 50), percentile(all, 99), ops == 0 ? 0.0 : statements.get() / (double) ops);
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, i)] / 1_000_000.0;
    }

    // scenario 1: what authentication reads for a token value: the token by digest with its scopes and its user, in
    // the one statement Patrol runs

    static Op digest(Path secretsFile) throws Exception {
        List<String> secrets = Files.readAllLines(secretsFile).stream().filter(s -> !s.isBlank()).toList();
        String sql = "SELECT " + prefixed("t") + ", (SELECT GROUP_CONCAT(s.scope SEPARATOR ',') FROM access_token_scopes s"
                + " WHERE s.token_id = t.id) AS scopes, u.id, u.username, u.name, u.email, u.kind, u.admin, u.state,"
                + " u.enterprise_group_id, u.created_at FROM access_tokens t LEFT JOIN users u ON u.id = t.user_id"
                + " WHERE t.digest = ?";
        return (c, n) -> {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(secrets.get((int) (n % secrets.size())).getBytes(StandardCharsets.UTF_8));
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setBytes(1, digest);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw new IllegalStateException("a secret in " + secretsFile + " matches no token");
                    }
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        r.getObject(i);
                    }
                }
            }
            return 1;
        };
    }

    // scenarios 2 and 3: a page of 100 (one more to know whether there is a next page) and its batch loads

    /** Newest first; after the first page, the keyset condition below the cursor's (created_at, id). */
    static Op page(String[] cursor) {
        String after = cursor.length < 2 ? "" : " WHERE created_at < '" + cursor[0] + "' OR (created_at = '"
                + cursor[0] + "' AND id < " + Long.parseLong(cursor[1]) + ")";
        return (c, n) -> pageWithRelations(c, "SELECT " + TOKEN_COLUMNS + " FROM access_tokens" + after
                + " ORDER BY created_at DESC, id DESC LIMIT 101");
    }

    /** Patrol's filter: unrevoked, expiring after today and before today + 30, a human owner, the api scope. */
    static Op filtered() {
        return (c, n) -> {
            LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
            return pageWithRelations(c, "SELECT " + prefixed("t") + " FROM access_tokens t"
                    + " JOIN users u ON u.id = t.user_id"
                    + " WHERE t.revoked_at IS NULL AND t.expires_at > '" + today + "' AND t.expires_at < '"
                    + today.plusDays(30) + "' AND u.kind = 'HUMAN'"
                    + " AND EXISTS (SELECT 1 FROM access_token_scopes s WHERE s.token_id = t.id AND s.scope = 'api')"
                    + " ORDER BY t.expires_at, t.id LIMIT 101");
        };
    }

    static String prefixed(String alias) {
        return Arrays.stream(TOKEN_COLUMNS.split(", ")).map(col -> alias + "." + col.trim())
                .collect(Collectors.joining(", "));
    }

    static int pageWithRelations(Connection c, String pageSql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<Long> userIds = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(pageSql)) {
            while (r.next()) {
                ids.add(r.getLong("id"));
                long userId = r.getLong("user_id");
                if (!r.wasNull()) {
                    userIds.add(userId);
                }
            }
        }
        if (ids.isEmpty()) {
            return 1;
        }
        String tokenIds = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        drain(c, "SELECT token_id, scope FROM access_token_scopes WHERE token_id IN (" + tokenIds + ")");
        drain(c, "SELECT token_id, ip, used_at FROM access_token_last_used_ips WHERE token_id IN (" + tokenIds + ")");
        if (userIds.isEmpty()) {
            return 3;
        }
        drain(c, "SELECT id, username, name, kind, state FROM users WHERE id IN ("
                + userIds.stream().distinct().map(String::valueOf).collect(Collectors.joining(",")) + ")");
        return 4;
    }

    // scenario 4: the ten dates when most tokens expire, and counts by type and state

    /** The two aggregates as Patrol defines them: tokens and SSH keys, upcoming expiries of unrevoked ones. */
    static Op aggregates() {
        return (c, n) -> {
            String today = LocalDate.now(java.time.ZoneOffset.UTC).toString();
            drain(c, "SELECT expires_at, SUM(n) FROM (SELECT expires_at, COUNT(*) AS n FROM access_tokens"
                    + " WHERE revoked_at IS NULL AND expires_at > '" + today + "' GROUP BY expires_at"
                    + " UNION ALL SELECT expires_at, COUNT(*) FROM ssh_keys WHERE expires_at > '" + today + "'"
                    + " GROUP BY expires_at) c GROUP BY expires_at ORDER BY SUM(n) DESC, expires_at LIMIT 10");
            String state = " WHEN expires_at <= '" + today + "' THEN 'EXPIRED' ELSE 'ACTIVE' END";
            drain(c, "SELECT type, CASE WHEN revoked_at IS NOT NULL THEN 'REVOKED'" + state + " AS state, COUNT(*)"
                    + " FROM access_tokens GROUP BY type, state"
                    + " UNION ALL SELECT 'SSH_KEY', CASE" + state + ", COUNT(*) FROM ssh_keys GROUP BY 2");
            return 2;
        };
    }

    // scenario 5: what creating, revoking and rotating a personal access token write, one transaction each

    /** Alternates, per connection, between creating a token and revoking the one it just created. */
    static Op createRevoke(long userId) {
        ThreadLocal<long[]> created = ThreadLocal.withInitial(() -> new long[] {0});
        return (c, n) -> {
            long[] mine = created.get();
            if (mine[0] == 0) {
                c.setAutoCommit(false);
                mine[0] = insertToken(c, userId, null, null);
                c.commit();
                c.setAutoCommit(true);
                return 3;
            }
            revoke(c, mine[0]);
            mine[0] = 0;
            return 2;
        };
    }

    static Op rotate(long userId) {
        ThreadLocal<long[]> current = ThreadLocal.withInitial(() -> new long[] {0});
        return (c, n) -> {
            long[] mine = current.get();
            if (mine[0] == 0) {
                mine[0] = insertToken(c, userId, null, null);
            }
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("SELECT " + TOKEN_COLUMNS
                    + " FROM access_tokens WHERE id = ? FOR UPDATE")) {
                s.setLong(1, mine[0]);
                s.executeQuery().close();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE access_tokens SET revoked_at = ?, revoke_reason = 'rotated' WHERE id = ? AND revoked_at IS NULL")) {
                s.setTimestamp(1, Timestamp.valueOf(LocalDateTime.now()));
                s.setLong(2, mine[0]);
                s.executeUpdate();
            }
            mine[0] = insertToken(c, userId, mine[0], mine[0]);
            c.commit();
            c.setAutoCommit(true);
            return 5;
        };
    }

    /** Inserts a token, its scopes and its audit event (three statements); returns the token's id. */
    static long insertToken(Connection c, long userId, Long previousId, Long familyId) throws SQLException {
        byte[] digest = new byte[32];
        new java.security.SecureRandom().nextBytes(digest);
        long id;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO access_tokens (type, name, user_id, digest,"
                + " display_prefix, created_at, created_by_id, expires_at, previous_token_id, family_id)"
                + " VALUES ('PERSONAL', 'bench', ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, userId);
            s.setBytes(2, digest);
            s.setString(3, "glpat-" + HexFormat.of().formatHex(digest, 0, 2));
            s.setTimestamp(4, Timestamp.valueOf(LocalDateTime.now()));
            s.setLong(5, userId);
            s.setDate(6, Date.valueOf(LocalDate.now().plusDays(30)));
            s.setObject(7, previousId);
            s.setObject(8, familyId);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO access_token_scopes (token_id, scope) VALUES (?, 'api'), (?, 'read_api')")) {
            s.setLong(1, id);
            s.setLong(2, id);
            s.executeUpdate();
        }
        audit(c, userId, "token_created", id);
        return id;
    }

    static void revoke(Connection c, long id) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE access_tokens SET revoked_at = ?, revoke_reason = 'revoked' WHERE id = ? AND revoked_at IS NULL")) {
            s.setTimestamp(1, Timestamp.valueOf(LocalDateTime.now()));
            s.setLong(2, id);
            s.executeUpdate();
        }
        audit(c, null, "token_revoked", id);
        c.commit();
        c.setAutoCommit(true);
    }

    static void audit(Connection c, Long actorId, String action, long tokenId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_events (created_at, actor_id, actor_name,"
                + " action, target_type, target_id, target_name, source, ip, details)"
                + " VALUES (?, ?, 'root', ?, 'PersonalAccessToken', ?, 'bench', 'api', '127.0.0.1', '{}')")) {
            s.setTimestamp(1, Timestamp.valueOf(LocalDateTime.now()));
            s.setObject(2, actorId);
            s.setString(3, action);
            s.setLong(4, tokenId);
            s.executeUpdate();
        }
    }

    static void drain(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                for (int i = 1; i <= columns; i++) {
                    r.getObject(i);
                }
            }
        }
    }
}
