package dev.patrol.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How every instance learns of revocations, blocked users and bans made on the others ({@code patrol.auth.changes.*},
 * see {@link AuthChangeLog}).
 *
 * @param polling      whether this instance polls the change log; without it its caches rely on {@code cache-ttl}
 *                     alone (one instance; tests that drive {@link AuthChangeLog#poll()} themselves)
 * @param pollInterval the pause between two reads of the change log
 * @param staleAfter   how old the last successful read may be before the cache is no longer trusted: the bound
 *                     within which a change on another instance takes effect here
 * @param overlap      how far back each read looks (by the database's clock): longer than any commit takes after
 *                     its change was written, plus the clock difference between database nodes
 * @param keep         how long rows stay in the log before any instance purges them
 */
@ConfigurationProperties("patrol.auth.changes")
public record AuthChangeProperties(@DefaultValue("true") boolean polling, @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("1s") Duration staleAfter, @DefaultValue("10s") Duration overlap,
        @DefaultValue("10m") Duration keep) {
}
