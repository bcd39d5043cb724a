package dev.patrol.expiry;

import java.time.LocalDateTime;

/**
 * A project's or a group's webhook. The secret token is never part of this record: it is read only when a
 * delivery needs it.
 *
 * @param resourceAccessTokenEvents whether expiring project, group and deploy tokens are sent to it
 * @param extendedExpiryThresholds  whether expiring project and group tokens are also sent 30 and 60 days ahead
 */
public record Webhook(
        long id,
        Long projectId,
        Long groupId,
        String url,
        boolean hasSecret,
        boolean resourceAccessTokenEvents,
        boolean extendedExpiryThresholds,
        Long createdById,
        LocalDateTime createdAt) {
}
