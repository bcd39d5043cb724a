package dev.patrol.expiry;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the jobs on their UTC schedule on every server instance; the database claims and leases make concurrent
 * runs safe. Off with {@code patrol.expiry.scheduling=false} (tests call the jobs directly).
 */
@Component
@ConditionalOnProperty(name = "patrol.expiry.scheduling", havingValue = "true", matchIfMissing = true)
class ExpiryScheduler {

    private final ExpiryNotifier notifier;
    private final OutboxSender sender;
    private final RetentionService retention;
    private final Clock clock;

    ExpiryScheduler(ExpiryNotifier notifier, OutboxSender sender, RetentionService retention, Clock clock) {
        this.notifier = notifier;
        this.sender = sender;
        this.retention = retention;
        this.clock = clock;
    }

    @Scheduled(cron = "${patrol.expiry.expiring-cron:0 0 1 * * *}", zone = "UTC")
    void notifyExpiring() {
        notifier.notifyExpiring(today());
        sender.deliverDue();
    }

    @Scheduled(cron = "${patrol.expiry.expired-cron:0 0 2 * * *}", zone = "UTC")
    void notifyExpired() {
        notifier.notifyExpiredToday(today());
        sender.deliverDue();
    }

    @Scheduled(cron = "${patrol.expiry.retention-cron:0 0 3 * * *}", zone = "UTC")
    void purge() {
        retention.purgeInactive();
    }

    @Scheduled(fixedDelayString = "${patrol.expiry.delivery-interval:30s}", initialDelayString = "10s")
    void deliver() {
        sender.deliverDue();
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }
}
