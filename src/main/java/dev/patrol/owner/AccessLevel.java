package dev.patrol.owner;

import java.util.Arrays;

import dev.patrol.shared.PatrolException;

/** Membership roles, with GitLab's numeric access levels. */
public enum AccessLevel {
    GUEST(10), PLANNER(15), REPORTER(20), DEVELOPER(30), MAINTAINER(40), OWNER(50);

    private final int value;

    AccessLevel(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** "Maintainer". */
    public String label() {
        return name().charAt(0) + name().substring(1).toLowerCase();
    }

    public boolean atLeast(AccessLevel other) {
        return value >= other.value;
    }

    public static AccessLevel of(int value) {
        return Arrays.stream(values()).filter(l -> l.value == value).findFirst()
                .orElseThrow(() -> PatrolException.badInput("Unknown access level " + value
                        + "; use 10, 15, 20, 30, 40 or 50."));
    }
}
