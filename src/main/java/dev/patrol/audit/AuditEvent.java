package dev.patrol.audit;

import java.time.LocalDateTime;

/** One recorded change: who did what to which target, from where. */
public record AuditEvent(
        long id,
        LocalDateTime createdAt,
        Long actorId,
        String actorName,
        String action,
        String targetType,
        Long targetId,
        String targetName,
        Long groupId,
        String source,
        String ip,
        String details) {
}
