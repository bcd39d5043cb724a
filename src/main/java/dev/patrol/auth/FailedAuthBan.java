package dev.patrol.auth;

import static patrol.jooq.Tables.AUTH_FAILURES;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.Records;
import org.jooq.impl.DSL;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import dev.patrol.database.DatabaseFailures;
import dev.patrol.shared.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Bans a client address after too many failed authentications (fail2ban style). Counts and bans live in the
 * database, so every instance on it sees them; each instance reuses what it read about an address for at most
 * {@code patrol.auth.cache-ttl}, and updates that at once for failures and successes it handles itself; a ban made
 * on another instance reaches it through the change log ({@link AuthChangeLog}) within a second.
 * <p>
 * An address's state is read without holding a lock for it, so one request never waits behind another's database
 * call. Once read, it is re-read in the background after {@code cache-ttl} (the request that notices uses what was
 * read before), and when the database cannot be read the last known state stays in force: an outage neither bans
 * nor unbans anyone. An address with no known state cannot be checked during an outage, and the filter answers 503.
 */
@Service
public class FailedAuthBan {

    private record State(int failures, LocalDateTime bannedUntil) {
        static final State CLEAN = new State(0, null);
    }

    private final DSLContext dsl;
    private final AuthChanges changes;
    private final Clock clock;
    private final AuthProperties.Ban config;
    private final Set<String> allowlist;
    private final LoadingCache<String, State> states;
    private final Counter newBans;

    /** Another instance's view of the same database (tests); its bans are counted nowhere. */
    public FailedAuthBan(DSLContext dsl, Clock clock, AuthProperties properties) {
        this(dsl, clock, properties, new SimpleMeterRegistry());
    }

    @Autowired
    public FailedAuthBan(DSLContext dsl, Clock clock, AuthProperties properties, MeterRegistry meters) {
        this.newBans = Counter.builder("patrol.auth.bans").description("Addresses banned for failed authentications")
                .register(meters);
        this.dsl = dsl;
        this.changes = new AuthChanges(dsl);
        this.clock = clock;
        this.config = properties.ban();
        this.allowlist = Set.copyOf(config.allowlist());
        Duration reread = properties.cacheTtl().isPositive() ? properties.cacheTtl() : Duration.ofNanos(1);
        this.states = Caffeine.newBuilder().maximumSize(100_000).executor(Thread::startVirtualThread)
                .refreshAfterWrite(reread)
                .expireAfterWrite(max(config.banTime(), reread))
                .build(new CacheLoader<>() {
                    @Override
                    public State load(String ip) {
                        return read(ip);
                    }

                    @Override
                    public State reload(String ip, State lastKnown) {
                        try {
                            return read(ip);
                        } catch (RuntimeException e) {
                            if (!DatabaseFailures.isUnavailable(e)) {
                                throw e;
                            }
                            return lastKnown;
                        }
                    }
                });
    }

    public boolean isBanned(String ip) {
        if (!applies(ip)) {
            return false;
        }
        LocalDateTime until = state(ip).bannedUntil();
        return until != null && until.isAfter(now());
    }

    /** Counts a failure; the one that reaches the limit within the window bans the address. */
    @Transactional
    public void recordFailure(String ip) {
        if (!applies(ip)) {
            return;
        }
        LocalDateTime now = now();
        if (countFailure(ip, now) == 0) {
            int inserted = dsl.insertInto(AUTH_FAILURES, AUTH_FAILURES.IP, AUTH_FAILURES.WINDOW_START,
                    AUTH_FAILURES.FAILURES).values(ip, now, 1).onDuplicateKeyIgnore().execute();
            if (inserted == 0) {
                countFailure(ip, now);
            }
        }
        int banned = dsl.update(AUTH_FAILURES)
                .set(AUTH_FAILURES.BANNED_UNTIL, now.plus(config.banTime()))
                .set(AUTH_FAILURES.FAILURES, 0)
                .where(AUTH_FAILURES.IP.eq(ip), AUTH_FAILURES.FAILURES.ge(config.maxRetry()))
                .execute();
        if (banned > 0) {
            changes.addressBanned(ip);
            AfterCommit.run(newBans::increment);
        }
        states.put(ip, read(ip));
    }

    /** Another instance banned the address: read its state again on its next request. */
    void forget(String ip) {
        states.invalidate(ip);
    }

    void forgetAll() {
        states.invalidateAll();
    }

    /**
     * Adds one to the address's count, or starts a new window when the last one is over. No upsert: jOOQ renders
     * MySQL's ({@code AS excluded}) on MariaDB too, which MariaDB rejects. MySQL assigns left to right, so
     * {@code failures} is computed from the old {@code window_start} before that moves.
     */
    private int countFailure(String ip, LocalDateTime now) {
        var staleWindow = AUTH_FAILURES.WINDOW_START.lt(now.minus(config.findTime()));
        return dsl.update(AUTH_FAILURES)
                .set(AUTH_FAILURES.FAILURES, DSL.when(staleWindow, DSL.inline(1))
                        .otherwise(AUTH_FAILURES.FAILURES.plus(1)))
                .set(AUTH_FAILURES.WINDOW_START, DSL.when(staleWindow, DSL.val(now))
                        .otherwise(AUTH_FAILURES.WINDOW_START))
                .where(AUTH_FAILURES.IP.eq(ip))
                .execute();
    }

    /**
     * A success resets the count, unless the address is banned. Not transactional: it is on every request's path
     * and mostly does nothing. While the database cannot be written the count stays, and the next success resets it.
     */
    public void recordSuccess(String ip) {
        if (!applies(ip) || state(ip).failures() == 0) {
            return;
        }
        LocalDateTime now = now();
        try {
            dsl.deleteFrom(AUTH_FAILURES)
                    .where(AUTH_FAILURES.IP.eq(ip))
                    .and(AUTH_FAILURES.BANNED_UNTIL.isNull().or(AUTH_FAILURES.BANNED_UNTIL.le(now)))
                    .execute();
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                return;
            }
            throw e;
        }
        states.put(ip, State.CLEAN);
    }

    /** Forgets addresses whose counting window and ban are both over; any instance may run it. */
    @Scheduled(fixedDelayString = "1h", initialDelayString = "1m")
    public int prune() {
        LocalDateTime now = now();
        return dsl.deleteFrom(AUTH_FAILURES)
                .where(AUTH_FAILURES.WINDOW_START.lt(now.minus(config.findTime())))
                .and(AUTH_FAILURES.BANNED_UNTIL.isNull().or(AUTH_FAILURES.BANNED_UNTIL.le(now)))
                .execute();
    }

    /** Addresses banned now, on every instance (a metric's periodic read; never on a request's path). */
    public int activeBans() {
        return dsl.fetchCount(AUTH_FAILURES, AUTH_FAILURES.BANNED_UNTIL.gt(now()));
    }

    private boolean applies(String ip) {
        return config.enabled() && !allowlist.contains(ip);
    }

    /** No {@code states.get(ip, loader)}: that would make every other request from the address wait for this read. */
    private State state(String ip) {
        State known = states.getIfPresent(ip);
        if (known != null) {
            return known;
        }
        State read = read(ip);
        states.put(ip, read);
        return read;
    }

    private State read(String ip) {
        return dsl.select(AUTH_FAILURES.FAILURES, AUTH_FAILURES.BANNED_UNTIL)
                .from(AUTH_FAILURES)
                .where(AUTH_FAILURES.IP.eq(ip))
                .fetchOptional(Records.mapping(State::new))
                .orElse(State.CLEAN);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock);
    }
}
