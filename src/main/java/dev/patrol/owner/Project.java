package dev.patrol.owner;

import java.time.LocalDateTime;

/** A project, always inside a group. {@code rootId} is the group's top-level group. */
public record Project(
        long id,
        long groupId,
        long rootId,
        String name,
        String path,
        String fullPath,
        LocalDateTime createdAt) {
}
