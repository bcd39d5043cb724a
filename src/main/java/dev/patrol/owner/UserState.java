package dev.patrol.owner;

public enum UserState {
    ACTIVE, BLOCKED
}
