package dev.patrol.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.patrol.auth.FailedAuthBan;
import dev.patrol.expiry.NotificationOutbox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;

/**
 * Gauges of state that lives in the database, shared by every instance: addresses banned now
 * ({@code patrol.auth.bans.active}), undelivered outbox messages ({@code patrol.outbox.backlog}) and how long the
 * oldest has waited ({@code patrol.outbox.oldest.age}); and this instance's readiness ({@code patrol.readiness}: 1
 * when {@code /actuator/health/readiness} is UP, else 0). They are read on a schedule and the scrape reports the last
 * reading, so a scrape never waits for the database; while it cannot be read the last counts stay.
 */
@Component
class StoredStateGauges {

    private static final Logger log = LoggerFactory.getLogger(StoredStateGauges.class);

    private final FailedAuthBan bans;
    private final NotificationOutbox outbox;
    private final Clock clock;
    private final ObjectProvider<HealthEndpoint> health;
    private volatile double ready;
    private volatile double activeBans;
    private volatile double backlog;
    private volatile LocalDateTime oldestQueuedAt;

    StoredStateGauges(FailedAuthBan bans, NotificationOutbox outbox, Clock clock, ObjectProvider<HealthEndpoint> health,
            MeterRegistry registry) {
        this.bans = bans;
        this.outbox = outbox;
        this.clock = clock;
        this.health = health;
        Gauge.builder("patrol.readiness", this, g -> g.ready)
                .description("1 when this instance is ready (database and migrations), else 0").register(registry);
        Gauge.builder("patrol.auth.bans.active", this, g -> g.activeBans)
                .description("Addresses banned now for failed authentications (all instances)").register(registry);
        Gauge.builder("patrol.outbox.backlog", this, g -> g.backlog)
                .description("Notices not yet delivered: pending, retrying or waiting for a mail server")
                .register(registry);
        TimeGauge.builder("patrol.outbox.oldest.age", this, TimeUnit.SECONDS, StoredStateGauges::oldestAgeSeconds)
                .description("How long the oldest undelivered notice has waited (0 when none)").register(registry);
    }

    @Scheduled(fixedDelayString = "${patrol.metrics.refresh-interval:15s}",
            initialDelayString = "${patrol.metrics.initial-delay:0s}")
    void refresh() {
        HealthEndpoint endpoint = health.getIfAvailable();
        HealthDescriptor readiness = endpoint == null ? null : endpoint.healthForPath("readiness");
        ready = readiness != null && Status.UP.equals(readiness.getStatus()) ? 1 : 0;
        try {
            activeBans = bans.activeBans();
            NotificationOutbox.Backlog now = outbox.backlog();
            backlog = now.messages();
            oldestQueuedAt = now.oldestQueuedAt();
        } catch (RuntimeException unreadable) {
            log.debug("Metrics keep their last reading: the database could not be read", unreadable);
        }
    }

    private double oldestAgeSeconds() {
        LocalDateTime oldest = oldestQueuedAt;
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, LocalDateTime.now(clock)).toSeconds());
    }
}
