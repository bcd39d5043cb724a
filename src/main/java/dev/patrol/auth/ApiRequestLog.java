package dev.patrol.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON line per API request on the logger {@code patrol.api}, with GitLab's field names: method, path, status,
 * duration ({@code duration_s}), client address, user ({@code user_id}, {@code username}) and token, and on refusals
 * {@code meta.auth_fail_reason}, {@code meta.auth_fail_token_id} and {@code meta.auth_fail_requested_scopes}. Token
 * values never appear. Each line is also counted ({@link AuthMetrics}); where it goes is dev.patrol.ops' concern.
 */
@Component
class ApiRequestLog {

    static final String LOGGER = "patrol.api";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final JsonMapper json;
    private final AuthMetrics metrics;

    ApiRequestLog(JsonMapper json, AuthMetrics metrics) {
        this.json = json;
        this.metrics = metrics;
    }

    /** The fields of one request, filled in as the request is handled. */
    static class Entry {

        private final Map<String, Object> fields = new LinkedHashMap<>();
        private final long startNanos = System.nanoTime();

        Entry(String method, String path, String ip) {
            fields.put("method", method);
            fields.put("path", path);
            fields.put("remote_ip", ip);
        }

        Entry put(String key, Object value) {
            if (value != null) {
                fields.put(key, value);
            }
            return this;
        }

        Entry failure(String reason, String tokenId, String requestedScopes) {
            return put("meta.auth_fail_reason", reason)
                    .put("meta.auth_fail_token_id", tokenId)
                    .put("meta.auth_fail_requested_scopes", requestedScopes);
        }
    }

    void write(Entry entry, int status) {
        metrics.record(entry.fields);
        if (!log.isInfoEnabled()) {
            return;
        }
        // GitLab's unit: seconds, to the microsecond
        entry.put("status", status)
                .put("duration_s", Math.round((System.nanoTime() - entry.startNanos) / 1_000.0) / 1e6);
        log.info(json.writeValueAsString(entry.fields));
    }
}
