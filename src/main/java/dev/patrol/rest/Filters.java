package dev.patrol.rest;

import java.util.List;
import java.util.Locale;

import dev.patrol.token.TokenFilter;
import dev.patrol.token.TokenSort;
import dev.patrol.token.TokenState;

/** GitLab's list filters and sorts of tokens, read into Patrol's. */
final class Filters {

    private Filters() {
    }

    /**
     * {@code revoked}, {@code state} ({@code active}, {@code inactive}), {@code created_before|after},
     * {@code last_used_before|after} (times or dates), {@code expires_before|after} (dates) and {@code search} (in the
     * name).
     */
    static TokenFilter tokens(Params p) {
        return new TokenFilter(null, state(p, "state"), p.bool("revoked"), null, null, p.date("expires_before"),
                p.date("expires_after"), p.time("created_before"), p.time("created_after"), p.time("last_used_before"),
                p.time("last_used_after"), p.string("search"), null);
    }

    /** Only {@code state}, as the project, group and impersonation token lists take it ({@code all} is no filter). */
    static TokenFilter state(Params p) {
        return new TokenFilter(null, state(p, "state"), null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** The deploy token lists' {@code active=true}: only tokens neither revoked nor expired. */
    static TokenFilter active(Params p) {
        Boolean active = p.bool("active");
        TokenState state = active == null ? null : active ? TokenState.ACTIVE : TokenState.INACTIVE;
        return new TokenFilter(null, state, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static TokenState state(Params p, String name) {
        String state = p.string(name);
        if (state == null || state.equals("all")) {
            return null;
        }
        return switch (state) {
            case "active" -> TokenState.ACTIVE;
            case "inactive" -> TokenState.INACTIVE;
            default -> throw RestError.badRequest(name + " does not have a valid value");
        };
    }

    /** {@code created_desc} (default), {@code created_asc}, {@code name_*}, {@code expires_*}, {@code last_used_*}. */
    static TokenSort sort(Params p) {
        String sort = p.string("sort");
        if (sort == null) {
            return TokenSort.CREATED_DESC;
        }
        String name = sort.toUpperCase(Locale.ROOT);
        if (!List.of(TokenSort.values()).stream().map(Enum::name).toList().contains(name)) {
            throw RestError.badRequest("sort does not have a valid value");
        }
        return TokenSort.valueOf(name);
    }
}
