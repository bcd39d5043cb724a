package dev.patrol.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.stereotype.Component;

/**
 * Whether what this instance cached about authentications may still be used: only while the change log was read
 * successfully within {@code patrol.auth.changes.stale-after}. A revocation committed on any instance before the start
 * of that read has dropped the entry, so a cached answer is never older than the bound; past it every request reads
 * the database, and while the database cannot be read the answer is 503, never a possibly revoked token's success.
 */
@Component
class CacheTrust {

    private final Clock clock;
    private final AuthChangeProperties properties;
    private volatile Instant lastRead;

    CacheTrust(Clock clock, AuthChangeProperties properties) {
        this.clock = clock;
        this.properties = properties;
    }

    boolean trusted() {
        if (!properties.polling()) {
            return true;
        }
        Instant read = lastRead;
        return read != null && !clock.instant().isAfter(read.plus(properties.staleAfter()));
    }

    Instant now() {
        return clock.instant();
    }

    /** How long before {@code start} the last successful read of the change log started (a day: never). */
    Duration sinceLastRead(Instant start) {
        Instant previous = lastRead;
        return previous == null ? Duration.ofDays(1) : Duration.between(previous, start);
    }

    /** A read of the change log that started at {@code start} succeeded and its changes are applied. */
    void readAt(Instant start) {
        lastRead = start;
    }
}
