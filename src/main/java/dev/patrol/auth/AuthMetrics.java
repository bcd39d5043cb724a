package dev.patrol.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code patrol.authentications}: every request a door decided, by {@code outcome} (success, failure, or error when
 * it was refused for something other than its credentials, such as 503 {@code database_unavailable}) and
 * {@code reason} (the refusal's code, as in the request log; {@code none} on success). Counted where the request
 * log line is written, so the two always agree. Counters are kept per reason: the warm path allocates nothing.
 */
@Component
class AuthMetrics {

    static final String AUTHENTICATIONS = "patrol.authentications";

    private final MeterRegistry registry;
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Counter successes;

    AuthMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.successes = counter("success", "none");
    }

    /** Counts the request by what its log entry says of it; a request no door decided on is not counted. */
    void record(Map<String, Object> logFields) {
        Object failure = logFields.get("meta.auth_fail_reason");
        if (failure != null) {
            failures.computeIfAbsent(failure.toString(), reason -> counter("failure", reason)).increment();
        } else if (logFields.containsKey("user_id")) {
            successes.increment();
        } else if (logFields.get("error") != null) {
            errors.computeIfAbsent(logFields.get("error").toString(), reason -> counter("error", reason)).increment();
        }
    }

    private Counter counter(String outcome, String reason) {
        return Counter.builder(AUTHENTICATIONS).description("API requests by authentication outcome")
                .tag("outcome", outcome).tag("reason", reason).register(registry);
    }
}
