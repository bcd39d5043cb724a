package dev.patrol.support;

import static java.util.Map.entry;

import java.lang.StackWalker.StackFrame;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.TableRecord;
import org.jooq.impl.QOM;

import patrol.jooq.DefaultSchema;

/**
 * Which module writes which table, and the jOOQ listener that holds the tests to it: every INSERT, UPDATE, DELETE,
 * MERGE and TRUNCATE jOOQ runs (plain SQL too) must come from a class of the table's owning module, the innermost
 * {@code dev.patrol.<module>} class on the stack. Other modules call the owner's API. Test code that sets up
 * states the API cannot reach (a last-used time in the past) is exempt, unless a test asks otherwise.
 */
public final class TableOwners implements ExecuteListener {

    /** Table → the one module that writes it. */
    public static final Map<String, String> OWNER = Map.ofEntries(
            entry("users", "owner"),
            entry("namespaces", "owner"),
            entry("projects", "owner"),
            entry("members", "owner"),
            entry("resources", "owner"),
            entry("ssh_keys", "owner"),
            entry("access_tokens", "token"),
            entry("access_token_scopes", "token"),
            entry("access_token_last_used_ips", "token"),
            entry("access_token_scope_usage", "token"),
            entry("audit_events", "audit"),
            entry("instance_settings", "settings"),
            entry("auth_failures", "auth"),
            entry("auth_changes", "auth"),
            entry("download_tickets", "auth"),
            entry("expiry_notifications", "expiry"),
            entry("webhooks", "expiry"),
            entry("notification_outbox", "expiry"),
            entry("notification_settings", "expiry"));

    private static final String ROOT = "dev.patrol.";
    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** The table a plain SQL write names first; quotes and a schema prefix allowed. */
    private static final Pattern WRITE = Pattern.compile("^\\s*(?:insert\\s+(?:ignore\\s+)?into|replace\\s+into"
            + "|update(?:\\s+ignore)?|delete\\s+(?:ignore\\s+)?from|merge\\s+into|truncate(?:\\s+table)?)\\s+"
            + "(?:[`\"\\[]?\\w+[`\"\\]]?\\.)*[`\"\\[]?(\\w+)", Pattern.CASE_INSENSITIVE);

    private final Predicate<Class<?>> exempt;

    private TableOwners(Predicate<Class<?>> exempt) {
        this.exempt = exempt;
    }

    /** The rule for the application's code; test code may write what it needs for its setup. */
    public static TableOwners exceptTestCode() {
        return new TableOwners(TableOwners::isTestCode);
    }

    /** The rule for every class, test code included: for the test that shows the rule catches a wrong writer. */
    public static TableOwners forAllCode() {
        return new TableOwners(c -> false);
    }

    @Override
    public void executeStart(ExecuteContext ctx) {
        List<String> tables = new ArrayList<>();
        if (ctx.query() != null) {
            tables.addAll(written(ctx.query(), ctx.sql()));
        } else {
            for (Query q : ctx.batchQueries()) {
                tables.addAll(written(q, null));
            }
            for (String sql : ctx.batchSQL()) {
                tables.addAll(fromSql(sql));
            }
        }
        if (tables.isEmpty()) {
            return;
        }
        Optional<StackFrame> issuer = STACK.walk(frames -> frames
                .filter(f -> f.getClassName().startsWith(ROOT)
                        && !f.getClassName().startsWith(TableOwners.class.getName()))
                .findFirst());
        if (issuer.isEmpty() || exempt.test(issuer.get().getDeclaringClass())) {
            return;
        }
        String module = moduleOf(issuer.get().getClassName());
        for (String table : tables) {
            String owner = OWNER.get(table);
            if (owner == null) {
                throw new AssertionError("Table " + table + " has no owning module; name it in TableOwners.OWNER ("
                        + "written by " + where(issuer.get()) + ")");
            }
            if (!owner.equals(module)) {
                throw new AssertionError("Only the " + owner + " module writes " + table + ", but the " + module
                        + " module does (" + where(issuer.get()) + "); call the " + owner + " module's API instead");
            }
        }
    }

    private static List<String> written(Query query, String sql) {
        return switch (query) {
            case QOM.Insert<?> insert -> List.of(name(insert.$into()));
            case QOM.Update<?> update -> List.of(name(update.$table()));
            case QOM.Delete<?> delete -> List.of(name(delete.$from()));
            case QOM.Merge<?> merge -> List.of(name(merge.$into()));
            case QOM.Truncate<?> truncate -> truncate.$table().stream().<String>map(TableOwners::name).toList();
            default -> fromSql(sql != null ? sql : query.getSQL());
        };
    }

    private static String name(Table<?> table) {
        if (table instanceof QOM.TableAlias<?> alias) {
            return name(alias.$table());
        }
        // A generated table under an alias keeps its record type, and each generated table has its own.
        return DefaultSchema.DEFAULT_SCHEMA.getTables().stream()
                .filter(generated -> generated.getRecordType() == table.getRecordType()
                        && TableRecord.class.isAssignableFrom(generated.getRecordType()))
                .findFirst().map(Table::getName).orElse(table.getName()).toLowerCase(Locale.ROOT);
    }

    static List<String> fromSql(String sql) {
        Matcher m = WRITE.matcher(sql);
        return m.find() ? List.of(m.group(1).toLowerCase(Locale.ROOT)) : List.of();
    }

    private static String moduleOf(String className) {
        String rest = className.substring(ROOT.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? "(root)" : rest.substring(0, dot);
    }

    private static String where(StackFrame frame) {
        return frame.getClassName() + "." + frame.getMethodName() + ":" + frame.getLineNumber();
    }

    private static boolean isTestCode(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source != null && source.getLocation() != null
                && source.getLocation().getPath().endsWith("/test-classes/");
    }
}
