package dev.patrol.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

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
        ExecuteListenerProvider[] before = dsl.configuration().executeListenerProviders();
        ExecuteListenerProvider[] with = Arrays.copyOf(before, before.length + 1);
        with[before.length] = new DefaultExecuteListenerProvider(new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                if (ctx.sql() != null) {
                    statements.add(ctx.sql());
                }
            }
        });
        dsl.configuration().set(with);
        try {
            work.run();
        } finally {
            dsl.configuration().set(before);
        }
        return List.copyOf(statements);
    }

    /** How many SELECTs run while {@code work} runs (background jobs write, they rarely read). */
    public static int selectsDuring(DSLContext dsl, Runnable work) {
        return (int) during(dsl, work).stream().filter(SqlRecorder::isSelect).count();
    }

    public static boolean isSelect(String sql) {
        return sql.stripLeading().regionMatches(true, 0, "select", 0, 6);
    }
}
