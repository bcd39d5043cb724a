package dev.patrol.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.patrol.auth.AuthChanges.Change;
import dev.patrol.database.DatabaseFailures;
import dev.patrol.owner.UserStateChanged;
import dev.patrol.token.TokensRevoked;

/**
 * Makes a revocation, a blocked user or a ban take effect on every instance within
 * {@code patrol.auth.changes.stale-after} (1 s) while a warm request still costs no SQL: each change is written to
 * {@link AuthChanges} in the transaction that makes it, and every instance reads the last few seconds of that log
 * once per {@code poll-interval} (250 ms), one indexed query, dropping the cache entries the changes concern.
 * {@link CacheTrust} stops the cache from being used when the log could not be read for longer than the bound.
 */
@Component
class AuthChangeLog {

    private static final Logger log = LoggerFactory.getLogger(AuthChangeLog.class);

    private final AuthChanges changes;
    private final AuthCache cache;
    private final FailedAuthBan bans;
    private final CacheTrust trust;
    private final AuthChangeProperties properties;
    private Set<Long> seen = Set.of();
    private boolean failing;

    AuthChangeLog(AuthChanges changes, AuthCache cache, FailedAuthBan bans, CacheTrust trust,
            AuthChangeProperties properties) {
        this.changes = changes;
        this.cache = cache;
        this.bans = bans;
        this.trust = trust;
        this.properties = properties;
    }

    /** Before the commit, so the change and its log row commit (or fail) together. */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void record(TokensRevoked event) {
        changes.tokensRevoked(event.ids());
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void record(UserStateChanged event) {
        changes.userChanged(event.userId());
    }

    @Scheduled(fixedDelayString = "${patrol.auth.changes.poll-interval:250ms}")
    void scheduledPoll() {
        if (properties.polling()) {
            poll();
        }
    }

    /**
     * Reads the log's last {@code overlap} and drops what the changes not seen before concern. Two reads further
     * apart than the overlap may have missed a change between them (the log could not be read for that long): then
     * everything cached is dropped.
     */
    synchronized void poll() {
        Instant start = trust.now();
        List<Change> recent;
        try {
            recent = changes.recent(Math.max(1, properties.overlap().toSeconds()));
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("The change log of revocations cannot be read ({}); cached authentications are trusted "
                        + "for {} more at most", DatabaseFailures.isUnavailable(e) ? "database unavailable"
                                : e.getClass().getSimpleName(),
                        properties.staleAfter());
            }
            failing = true;
            return;
        }
        if (failing) {
            log.info("The change log of revocations can be read again");
            failing = false;
        }
        Duration gap = trust.sinceLastRead(start);
        Set<Long> ids = new HashSet<>();
        boolean dropAll = gap.compareTo(properties.overlap()) >= 0;
        for (Change change : recent) {
            ids.add(change.id());
            if (seen.contains(change.id())) {
                continue;
            }
            switch (change.kind()) {
                case TOKEN -> cache.evictTokens(Set.of(Long.parseLong(change.subject())));
                case USER -> cache.evictUser(Long.parseLong(change.subject()));
                case ADDRESS -> bans.forget(change.subject());
                case ALL -> dropAll = true;
            }
        }
        if (dropAll) {
            cache.evictAll();
            bans.forgetAll();
        }
        seen = ids;
        trust.readAt(start);
    }

    @Scheduled(fixedDelayString = "1m", initialDelayString = "1m")
    void purge() {
        try {
            changes.purgeOlderThan(properties.keep().toSeconds());
        } catch (RuntimeException e) {
            // another instance purging the same rows at once, or an outage: the next purge catches up
            log.debug("Purging the change log failed ({})", e.getClass().getSimpleName());
        }
    }
}
