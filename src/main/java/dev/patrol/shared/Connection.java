package dev.patrol.shared;

import java.util.List;
import java.util.function.Function;

/**
 * A Relay connection page as the schema's {@code *Connection} types expose it: {@code nodes}, {@code edges},
 * {@code pageInfo} and {@code count}. Cursors are opaque keyset positions made by {@link Cursors}.
 *
 * @param count the total number of items matching the filter, computed only when the client asks for it
 */
public record Connection<T>(List<Edge<T>> edges, PageInfo pageInfo, Count count) {

    public record Edge<T>(String cursor, T node) {
    }

    public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
    }

    /** A lazily evaluated total, so a page that does not select {@code count} does not run a COUNT query. */
    @FunctionalInterface
    public interface Count {
        long get();
    }

    public List<T> nodes() {
        return edges.stream().map(Edge::node).toList();
    }

    /**
     * Builds a page from rows fetched with one extra row beyond {@code size}, which tells whether another page
     * exists in the direction of travel. For backward pages ({@code last/before}) rows arrive in reverse order.
     */
    public static <T> Connection<T> of(List<T> rowsPlusOne, int size, boolean backward, boolean hasOtherSide,
            Function<T, String> cursor, Count count) {
        boolean more = rowsPlusOne.size() > size;
        List<T> rows = more ? rowsPlusOne.subList(0, size) : rowsPlusOne;
        if (backward) {
            rows = rows.reversed();
        }
        List<Edge<T>> edges = rows.stream().map(r -> new Edge<>(cursor.apply(r), r)).toList();
        PageInfo info = new PageInfo(backward ? hasOtherSide : more, backward ? more : hasOtherSide,
                edges.isEmpty() ? null : edges.getFirst().cursor(), edges.isEmpty() ? null : edges.getLast().cursor());
        return new Connection<>(edges, info, count);
    }
}
