package dev.patrol.audit;

/** Filters for listing audit events; null means "any". {@code beforeId} is the keyset cursor. */
public record AuditQuery(String targetType, Long targetId, String action, Long actorId, Long groupId, Long beforeId) {

    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null);
    }
}
