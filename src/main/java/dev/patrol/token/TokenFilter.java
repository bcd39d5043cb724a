package dev.patrol.token;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** Filters of a token list; null fields do not filter. Bound from the API's {@code AccessTokenFilter}. */
public record TokenFilter(
        List<TokenType> types,
        TokenState state,
        Boolean revoked,
        List<String> scopesAnyOf,
        List<String> scopesAllOf,
        LocalDate expiresBefore,
        LocalDate expiresAfter,
        OffsetDateTime createdBefore,
        OffsetDateTime createdAfter,
        OffsetDateTime lastUsedBefore,
        OffsetDateTime lastUsedAfter,
        String search,
        String ownerUsername) {

    public static TokenFilter none() {
        return new TokenFilter(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
