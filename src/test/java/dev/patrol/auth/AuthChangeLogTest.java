package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.AUTH_CHANGES;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.patrol.owner.OwnerService;
import dev.patrol.owner.User;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.SqlRecorder;
import dev.patrol.support.TestConfig;
import dev.patrol.token.AuthFailure;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenService;

/**
 * A second instance on the same database, built by hand from the same parts as the application's own: its caches
 * learn of revocations, blocked users and bans made by this one by reading the change log, and stop trusting what
 * they cached once the log could not be read for longer than the bound. Addresses 127.0.0.150-159.
 */
@PatrolTest
class AuthChangeLogTest {

    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired OwnerService owners;
    @Autowired FailedAuthBan bans;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    Instance other;

    @BeforeEach
    void otherInstance() {
        clock.set(TestConfig.START);
        other = new Instance(true);
        other.log.poll();
    }

    @AfterEach
    void resetClock() {
        clock.set(TestConfig.START);
    }

    @Test
    void aTokenRevokedHereStopsWorkingThereAtTheNextReadOfTheLog() {
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");
        assertThat(other.cache.authenticate(issued.secret()).succeeded()).isTrue();

        tokens.revoke(fixtures.system(), issued.token().id());
        assertThat(other.cache.authenticate(issued.secret()).succeeded()).as("cached, the log not read yet").isTrue();
        other.log.poll();

        assertThat(other.cache.authenticate(issued.secret()).failure()).isEqualTo(AuthFailure.REVOKED);
    }

    @Test
    void aUserBlockedHereIsRefusedThereAtTheNextReadOfTheLog() {
        User user = fixtures.human();
        IssuedToken issued = fixtures.pat(user, "api");
        assertThat(other.cache.authenticate(issued.secret()).succeeded()).isTrue();

        owners.block(fixtures.system(), user.id());
        other.log.poll();

        assertThat(other.cache.authenticate(issued.secret()).failure()).isEqualTo(AuthFailure.USER_BLOCKED);
    }

    @Test
    void anAddressBannedHereIsBannedThereAtTheNextReadOfTheLog() {
        String ip = "127.0.0.150";
        assertThat(other.bans.isBanned(ip)).isFalse();
        for (int i = 0; i < 30; i++) {
            bans.recordFailure(ip);
        }
        assertThat(other.bans.isBanned(ip)).as("what it read before, kept for cache-ttl").isFalse();

        other.log.poll();

        assertThat(other.bans.isBanned(ip)).isTrue();
    }

    @Test
    void aChangeCommittedWithALowerIdThanOnesAlreadySeenIsStillRead() {
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");
        assertThat(other.cache.authenticate(issued.secret()).succeeded()).isTrue();
        tokens.revoke(fixtures.system(), fixtures.pat(fixtures.human(), "api").token().id());
        other.log.poll();
        long lowest = dsl.select(DSL.min(AUTH_CHANGES.ID)).from(AUTH_CHANGES).fetchOne(0, Long.class);

        // as a transaction that took its id first and committed last: revoked directly, logged with an older id
        tokens.revoke(fixtures.system(), issued.token().id());
        dsl.deleteFrom(AUTH_CHANGES).where(AUTH_CHANGES.SUBJECT.eq(String.valueOf(issued.token().id()))).execute();
        other.log.poll();
        dsl.insertInto(AUTH_CHANGES, AUTH_CHANGES.ID, AUTH_CHANGES.KIND, AUTH_CHANGES.SUBJECT)
                .values(lowest - 1000, "TOKEN", String.valueOf(issued.token().id())).execute();
        other.log.poll();

        assertThat(other.cache.authenticate(issued.secret()).failure()).isEqualTo(AuthFailure.REVOKED);
    }

    @Test
    void aWarmRequestCostsNoSqlWhileTheLogIsRead() {
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");
        other.cache.authenticate(issued.secret());

        assertThat(SqlRecorder.during(dsl, () -> other.cache.authenticate(issued.secret()))).isEmpty();
    }

    @Test
    void whenTheLogWasNotReadWithinTheBoundTheCacheIsNotTrustedAndTheDatabaseDecides() {
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");
        assertThat(other.cache.authenticate(issued.secret()).succeeded()).isTrue();
        tokens.revoke(fixtures.system(), issued.token().id());

        clock.advance(Duration.ofMillis(1001));

        assertThat(other.cache.authenticate(issued.secret()).failure()).isEqualTo(AuthFailure.REVOKED);
    }

    @Test
    void withoutPollingTheCacheIsTrustedForItsTtlAsOnOneInstance() {
        Instance single = new Instance(false);
        IssuedToken issued = fixtures.pat(fixtures.human(), "api");
        single.cache.authenticate(issued.secret());
        clock.advance(Duration.ofSeconds(2));

        assertThat(SqlRecorder.during(dsl, () -> single.cache.authenticate(issued.secret()))).isEmpty();
    }

    @Test
    void oldRowsArePurged() {
        dsl.insertInto(AUTH_CHANGES, AUTH_CHANGES.CHANGED_AT, AUTH_CHANGES.KIND, AUTH_CHANGES.SUBJECT)
                .values(LocalDateTime.now().minusHours(1), "USER", "0").execute();

        other.log.purge();

        assertThat(dsl.fetchCount(AUTH_CHANGES, AUTH_CHANGES.CHANGED_AT.lt(LocalDateTime.now().minusMinutes(30))))
                .isZero();
    }

    /** The auth caches of another instance: what it reads, it reads from the shared database. */
    private final class Instance {
        final AuthCache cache;
        final FailedAuthBan bans;
        final AuthChangeLog log;

        Instance(boolean polling) {
            AuthProperties auth = new AuthProperties(Duration.ofHours(1),
                    new AuthProperties.Ban(true, 30, Duration.ofMinutes(3), Duration.ofHours(1), List.of()),
                    new AuthProperties.Usage(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(1)));
            AuthChangeProperties changes = new AuthChangeProperties(polling, Duration.ofMillis(250),
                    Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(10));
            CacheTrust trust = new CacheTrust(clock, changes);
            this.cache = new AuthCache(tokens, auth, trust);
            this.bans = new FailedAuthBan(dsl, clock, auth);
            this.log = new AuthChangeLog(new AuthChanges(dsl), cache, this.bans, trust, changes);
        }
    }
}
