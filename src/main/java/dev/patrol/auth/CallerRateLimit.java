package dev.patrol.auth;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A token bucket per caller (the credential that passed, {@link Passage#token}) on this instance: {@code perSecond}
 * requests a second, in bursts of as many; beyond that 429 with {@code Retry-After: 1}. Buckets of callers that went
 * quiet are dropped after a minute (a full bucket is the same as none). Time is the application's {@link Clock}, so
 * tests decide when buckets refill.
 */
final class CallerRateLimit implements Step {

    private final long perSecond;
    private final Clock clock;
    private final Cache<Long, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(1)).build();

    CallerRateLimit(int perSecond, Clock clock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("the rate limit must be at least 1 request per second");
        }
        this.perSecond = perSecond;
        this.clock = clock;
    }

    @Override
    public boolean pass(Passage passage) throws IOException {
        long now = nanos(clock.instant());
        Bucket bucket = buckets.get(passage.token.id(), id -> new Bucket(perSecond, now));
        if (!bucket.take(perSecond, now)) {
            passage.response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            return passage.refuse(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                    "More than " + perSecond + " requests a second from this caller; slow down.");
        }
        return true;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** Tokens in nano-units (one request = a billion) so that refilling needs no floating point. */
    private static final class Bucket {

        private static final long ONE = 1_000_000_000L;
        private long available;
        private long lastNanos;

        Bucket(long capacity, long nowNanos) {
            this.available = capacity * ONE;
            this.lastNanos = nowNanos;
        }

        synchronized boolean take(long perSecond, long nowNanos) {
            long elapsed = Math.max(0, nowNanos - lastNanos);
            lastNanos = nowNanos;
            long capacity = perSecond * ONE;
            available = elapsed >= ONE ? capacity : Math.min(capacity, available + elapsed * perSecond);
            if (available < ONE) {
                return false;
            }
            available -= ONE;
            return true;
        }
    }
}
