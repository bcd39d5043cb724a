package dev.patrol.owner;

import java.time.LocalDateTime;

/** A user's direct membership of a project or group. */
public record Member(long id, long userId, SourceType sourceType, long sourceId, AccessLevel accessLevel,
        LocalDateTime createdAt) {
}
