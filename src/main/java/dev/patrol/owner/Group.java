package dev.patrol.owner;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * A group; groups nest.
 *
 * @param rootId       the top-level group (itself for a top-level group)
 * @param traversalIds ids from the root down to this group, e.g. "1/5/9/"
 */
public record Group(
        long id,
        Long parentId,
        long rootId,
        String traversalIds,
        String name,
        String path,
        String fullPath,
        LocalDateTime createdAt) {

    /** This group and its ancestors, root first. */
    public List<Long> selfAndAncestorIds() {
        return Arrays.stream(traversalIds.split("/")).filter(s -> !s.isEmpty()).map(Long::valueOf).toList();
    }

    public boolean isTopLevel() {
        return parentId == null;
    }
}
