package dev.patrol.shared;

/** Where a change came from. */
public enum Source {
    API, CONSOLE, SYSTEM;

    public String label() {
        return name().toLowerCase();
    }
}
