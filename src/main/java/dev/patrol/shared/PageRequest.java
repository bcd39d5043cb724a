package dev.patrol.shared;



/**
 * Validated Relay paging arguments. Either {@code first}/{@code after} (forward) or {@code last}/{@code before}
 * (backward); the page size defaults to 20 and is at most {@value #MAX_SIZE}.
 */
public record PageRequest(int size, boolean backward, String cursor) {

    public static final int MAX_SIZE = 100;
    public static final int DEFAULT_SIZE = 20;

    public static PageRequest of(Integer first, String after, Integer last, String before) {
        if (first != null && last != null) {
            throw PatrolException.badInput("Pass either first or last, not both.");
        }
        if (after != null && before != null) {
            throw PatrolException.badInput("Pass either after or before, not both.");
        }
        boolean backward = last != null || before != null;
        Integer requested = backward ? last : first;
        int size = requested == null ? DEFAULT_SIZE : requested;
        if (size < 0 || size > MAX_SIZE) {
            throw PatrolException.badInput("Page size must be between 0 and " + MAX_SIZE + ".");
        }
        return new PageRequest(size, backward, backward ? before : after);
    }
}
