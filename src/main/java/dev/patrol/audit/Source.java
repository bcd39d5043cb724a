package dev.patrol.audit;

/** Where a change came from. */
public enum Source {
    API, CONSOLE, SYSTEM;

    public String label() {
        return name().toLowerCase();
    }
}
