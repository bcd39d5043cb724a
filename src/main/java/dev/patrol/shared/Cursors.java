package dev.patrol.shared;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Opaque keyset cursors: the sort key values of a row, base64url-encoded. A cursor is only meaningful for the
 * same sort it was made with; a mismatched or tampered cursor is a BAD_USER_INPUT error.
 */
public final class Cursors {

    private static final char SEPARATOR = '\u001f';

    private Cursors() {
    }

    /** Encodes the sort name and key values (null allowed) of one row. */
    public static String encode(String sort, Object... keys) {
        StringBuilder sb = new StringBuilder(sort);
        for (Object key : keys) {
            sb.append(SEPARATOR).append(key == null ? "\u0000" : key.toString());
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor made for {@code sort}, returning its key values as strings (null where the key was null). */
    public static List<String> decode(String cursor, String sort, int keyCount) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(String.valueOf(SEPARATOR), -1);
            if (parts.length == keyCount + 1 && parts[0].equals(sort)) {
                return java.util.Arrays.stream(parts).skip(1).map(p -> p.equals("\u0000") ? null : p).toList();
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to the error below
        }
        throw PatrolException.badInput("The cursor is not valid for this list and sort order.");
    }
}
