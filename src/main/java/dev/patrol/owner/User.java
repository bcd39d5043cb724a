package dev.patrol.owner;

import java.time.LocalDateTime;

/**
 * A user: a person, a bot of a project or group, or a service account.
 *
 * @param enterpriseGroupId the top-level group that manages this user (enterprise users and service accounts)
 */
public record User(
        long id,
        String username,
        String name,
        String email,
        UserKind kind,
        boolean admin,
        UserState state,
        Long enterpriseGroupId,
        LocalDateTime createdAt) {

    public boolean isBlocked() {
        return state == UserState.BLOCKED;
    }
}
