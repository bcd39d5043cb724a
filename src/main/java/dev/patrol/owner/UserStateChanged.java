package dev.patrol.owner;

/** Published when a user is blocked or unblocked, so caches of authenticated users can drop them. */
public record UserStateChanged(long userId, UserState state) {
}
