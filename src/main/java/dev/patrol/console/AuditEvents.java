package dev.patrol.console;

import java.util.List;
import java.util.Map;

import dev.patrol.audit.AuditEvent;
import dev.patrol.audit.AuditQuery;
import dev.patrol.token.TokenType;

/** Audit events for scripts, newest first: {@code AuditEvents.recent(20)}, {@code AuditEvents.where(action: ...)}. */
public final class AuditEvents {

    private final ScriptContext context;

    AuditEvents(ScriptContext context) {
        this.context = context;
    }

    public List<AuditEvent> recent(int limit) {
        return context.services().audit().list(AuditQuery.all(), limit);
    }

    public List<AuditEvent> recent() {
        return recent(20);
    }

    /** Events filtered by {@code action}, {@code targetType}, {@code targetId} and/or {@code actorId}; at most 100. */
    public List<AuditEvent> where(Map<String, Object> filter) {
        Object targetId = filter.get("targetId");
        Object actorId = filter.get("actorId");
        return context.services().audit().list(new AuditQuery((String) filter.get("targetType"),
                targetId == null ? null : ((Number) targetId).longValue(), (String) filter.get("action"),
                actorId == null ? null : ((Number) actorId).longValue(), null, null), 100);
    }

    /** The events about one token. */
    public List<AuditEvent> forToken(TokenHandle token) {
        String modelName = TokenType.valueOf(token.getType()).modelName();
        return context.services().audit().list(new AuditQuery(modelName, token.getId(), null, null, null, null), 100);
    }
}
