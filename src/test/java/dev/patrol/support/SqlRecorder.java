package dev.patrol.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteListenerProvider;
import org.jooq.impl.DefaultExecuteListenerProvider;

/** The SQL jOOQ runs while some work runs: for tests that hold a request to the statements it may cost. */
public final class SqlRecorder {

    private SqlRecorder() {
    }

    /** Every statement jOOQ starts while {@code work} runs, in order; background jobs' statements too. */
    public static List<String> during(DSLContext dsl, Runnable work) {
        List<String> statements = Collections.synchronizedList(new ArrayList<>());
        record(dsl, (sql, thread) -> statements.add(sql), work);
        return List.copyOf(statements);
    }

    /**
     * What one request costs the database: its statements, and the other commands (transaction control, session
     * state, the pool's liveness check) sent on the threads that ran them. Background work running at the same time
     * (the usage buffer's flush, whose every statement is about last use) is left out by its thread.
     */
    public record RoundTrips(List<String> statements, List<String> commands) {

        /** The transaction and session commands, without the pool's liveness checks. */
        public List<String> transactionCommands() {
            return commands.stream().filter(c -> !ConnectionCommands.PING.equals(c)).toList();
        }

        public long pings() {
            return commands.size() - transactionCommands().size();
        }

        @Override
        public String toString() {
            return String.join("\n", statements) + "\n+ " + String.join(", ", commands);
        }
    }

    /** The {@link RoundTrips} of the request that {@code work} sends. */
    public static RoundTrips requestDuring(DSLContext dsl, Runnable work) {
        record Statement(String sql, long threadId) {
        }
        List<Statement> statements = Collections.synchronizedList(new ArrayList<>());
        List<ConnectionCommands.Command> commands = ConnectionCommands.during(
                () -> record(dsl, (sql, thread) -> statements.add(new Statement(sql, thread)), work));
        Set<Long> request = statements.stream().filter(s -> !s.sql().contains("last_used"))
                .map(Statement::threadId).collect(Collectors.toSet());
        return new RoundTrips(statements.stream().filter(s -> request.contains(s.threadId())).map(Statement::sql)
                .toList(), commands.stream().filter(c -> request.contains(c.threadId()))
                .map(ConnectionCommands.Command::command).toList());
    }

    private static void record(DSLContext dsl, ObjLongConsumer<String> sink, Runnable work) {
        ExecuteListenerProvider[] before = dsl.configuration().executeListenerProviders();
        ExecuteListenerProvider[] with = Arrays.copyOf(before, before.length + 1);
        with[before.length] = new DefaultExecuteListenerProvider(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                if (ctx.sql() != null) {
                    sink.accept(ctx.sql(), Thread.currentThread().threadId());
                }
            }
        });
        dsl.configuration().set(with);
        try {
            work.run();
        } finally {
            dsl.configuration().set(before);
        }
    }

    /** How many SELECTs run while {@code work} runs (background jobs write, they rarely read). */
    public static int selectsDuring(DSLContext dsl, Runnable work) {
        return (int) during(dsl, work).stream().filter(SqlRecorder::isSelect).count();
    }

    public static boolean isSelect(String sql) {
        return sql.stripLeading().regionMatches(true, 0, "select", 0, 6);
    }
}
