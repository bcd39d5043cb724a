package dev.patrol.owner;

/** A request to create a human user or a service account. */
public record NewUser(String username, String name, String email, UserKind kind, boolean admin,
        Long enterpriseGroupId) {
}
