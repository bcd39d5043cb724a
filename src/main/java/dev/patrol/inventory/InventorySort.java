package dev.patrol.inventory;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.function.Function;

/**
 * Inventory orders. Each sorts by one key, then tokens before SSH keys, then id; a missing key (no expiry, never
 * used) sorts lowest, as MySQL, MariaDB and H2 order NULLs in their indexes.
 */
public enum InventorySort {
    EXPIRES_ASC(Key.EXPIRES, true), EXPIRES_DESC(Key.EXPIRES, false),
    CREATED_ASC(Key.CREATED, true), CREATED_DESC(Key.CREATED, false),
    LAST_USED_ASC(Key.LAST_USED, true), LAST_USED_DESC(Key.LAST_USED, false),
    NAME_ASC(Key.NAME, true), NAME_DESC(Key.NAME, false),
    OWNER_ASC(Key.OWNER, true), OWNER_DESC(Key.OWNER, false);

    enum Key {
        EXPIRES(LocalDate::parse), CREATED(LocalDateTime::parse), LAST_USED(LocalDateTime::parse),
        NAME(s -> s), OWNER(s -> s);

        final Function<String, Object> parse;

        Key(Function<String, Object> parse) {
            this.parse = parse;
        }
    }

    final Key key;
    final boolean ascending;

    InventorySort(Key key, boolean ascending) {
        this.key = key;
        this.ascending = ascending;
    }

    /** The row's value of this sort's key, in the form the database compares. */
    Comparable<?> keyOf(InventoryCredential c) {
        return switch (key) {
            case EXPIRES -> c.expiresAt();
            case CREATED -> c.createdAt().toLocalDateTime();
            case LAST_USED -> c.lastUsedAt() == null ? null : c.lastUsedAt().toLocalDateTime();
            case NAME -> c.name();
            case OWNER -> c.ownerUsername();
        };
    }
}
