package dev.patrol.token;

import java.util.Collection;
import java.util.Set;

/** Published when tokens are revoked (directly, by rotation, reset or reuse detection), so caches can drop them. */
public record TokensRevoked(Set<Long> ids) {

    public static TokensRevoked of(Collection<Long> ids) {
        return new TokensRevoked(Set.copyOf(ids));
    }
}
