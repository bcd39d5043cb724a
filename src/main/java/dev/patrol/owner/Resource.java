package dev.patrol.owner;

import java.time.LocalDateTime;

/**
 * A runner, Kubernetes agent, OAuth application, CI job or workspace. {@code state} is kind-specific:
 * a CI job is RUNNING or FINISHED, the others ACTIVE.
 */
public record Resource(long id, ResourceKind kind, String name, Long projectId, Long groupId, Long userId,
        String state, LocalDateTime createdAt) {

    /** A CI job's state while it runs; its job token is valid only then. */
    public static final String RUNNING = "RUNNING";
    /** A CI job's state once it finished. */
    public static final String FINISHED = "FINISHED";
}
