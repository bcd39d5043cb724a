import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A flight recording of one scenario, summarised as Markdown: where Patrol's CPU went, by component. Each sample's
 * self time is charged to the first frame from the top that is not the JDK's (a {@code HashMap.get} called by jOOQ is
 * jOOQ's cost); "on the stack" counts the samples in which a component appears anywhere, so it shows what a whole
 * layer costs, callees included.
 *
 * <p>Usage: {@code java JfrSummary recording.jfr "title"}
 */
public class JfrSummary {

    private static final int ROWS = 12;

    public static void main(String[] args) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> onStack = new HashMap<>();
        Map<String, Integer> leaves = new HashMap<>();
        int samples = 0;
        double user = 0, system = 0, machine = 0;
        int loads = 0;
        long gcNanos = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            switch (event.getEventType().getName()) {
                case "jdk.ExecutionSample" -> {
                    if (event.getStackTrace() == null) {
                        continue;
                    }
                    samples++;
                    List<RecordedFrame> frames = event.getStackTrace().getFrames();
                    if (!frames.isEmpty()) {
                        leaves.merge(method(frames.getFirst()), 1, Integer::sum);
                    }
                    String owner = "JDK only";
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame frame : frames) {
                        String component = component(frame.getMethod().getType().getName());
                        if (component == null) {
                            continue;
                        }
                        if (seen.isEmpty()) {
                            owner = component;
                        }
                        seen.add(component);
                    }
                    self.merge(owner, 1, Integer::sum);
                    seen.forEach(c -> onStack.merge(c, 1, Integer::sum));
                }
                case "jdk.CPULoad" -> {
                    user += event.getFloat("jvmUser");
                    system += event.getFloat("jvmSystem");
                    machine += event.getFloat("machineTotal");
                    loads++;
                }
                case "jdk.GarbageCollection" -> gcNanos += event.getDuration("sumOfPauses").toNanos();
                default -> { }
            }
        }
        System.out.printf("### %s%n%n", args.length > 1 ? args[1] : args[0]);
        System.out.printf("%d samples of Patrol's running Java threads; Patrol's process used %.0f%% user + %.0f%% system "
                + "of the machine's CPU, the machine %.0f%% in all (means over the recording); GC pauses %d ms%n%n",
                samples, percent(user, loads), percent(system, loads), percent(machine, loads), gcNanos / 1_000_000);
        if (samples == 0) {
            return;
        }
        System.out.println("| component | self | on the stack |");
        System.out.println("| --- | --- | --- |");
        int total = samples;
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(ROWS)
                .forEach(e -> System.out.printf("| %s | %.1f%% | %.1f%% |%n", e.getKey(), 100.0 * e.getValue() / total,
                        100.0 * onStack.getOrDefault(e.getKey(), e.getValue()) / total));
        System.out.println();
        System.out.println("| hottest methods (self) | share |");
        System.out.println("| --- | --- |");
        leaves.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(ROWS)
                .forEach(e -> System.out.printf("| `%s` | %.1f%% |%n", e.getKey(), 100.0 * e.getValue() / total));
        System.out.println();
    }

    private static double percent(double sum, int count) {
        return count == 0 ? 0 : 100 * sum / count;
    }

    private static String method(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    /** The component a class belongs to, or null for the JDK's own classes. */
    static String component(String type) {
        if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("com.sun.")
                || type.startsWith("javax.")) {
            return null;
        }
        if (type.startsWith("dev.patrol.")) {
            String rest = type.substring("dev.patrol.".length());
            return "Patrol " + (rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : "(root)");
        }
        for (String[] known : KNOWN) {
            if (type.startsWith(known[0])) {
                return known[1];
            }
        }
        String[] parts = type.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] : type;
    }

    private static final String[][] KNOWN = {
        {"org.jooq.", "jOOQ"}, {"patrol.jooq.", "jOOQ (generated tables)"},
        {"graphql.", "graphql-java"}, {"org.springframework.graphql.", "spring-graphql"},
        {"org.springframework.web.", "Spring MVC"}, {"org.springframework.http.", "Spring MVC"},
        {"org.springframework.security.", "Spring Security"}, {"org.springframework.jdbc.", "Spring JDBC"},
        {"org.springframework.transaction.", "Spring transactions"}, {"org.springframework.", "Spring (other)"},
        {"org.apache.catalina.", "Tomcat"}, {"org.apache.coyote.", "Tomcat"}, {"org.apache.tomcat.", "Tomcat"},
        {"com.mysql.", "MySQL driver"}, {"org.h2.", "H2"}, {"com.zaxxer.hikari.", "HikariCP"},
        {"io.micrometer.", "Micrometer"}, {"ch.qos.logback.", "logging"}, {"org.slf4j.", "logging"},
        {"tools.jackson.", "Jackson"}, {"com.fasterxml.jackson.", "Jackson"},
        {"com.github.benmanes.caffeine.", "Caffeine"}, {"reactor.", "Reactor"},
        {"org.codehaus.groovy.", "Groovy"}, {"org.apache.groovy.", "Groovy"}, {"groovy.", "Groovy"},
        {"groovyjarjarasm.", "Groovy"},
    };
}
