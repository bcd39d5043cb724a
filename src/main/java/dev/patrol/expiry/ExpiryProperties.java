package dev.patrol.expiry;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the expiry jobs and the outbox ({@code patrol.expiry.*}).
 *
 * @param emailThresholds               days before expiry at which owners are e-mailed (the 01:00 UTC job)
 * @param webhookThresholds             days before expiry at which project and group token webhooks fire
 * @param webhookExtendedThresholds     further days for webhooks that enable extended thresholds
 * @param deployTokenWebhookThresholds  days before expiry at which deploy token webhooks fire
 * @param retentionDays                 days inactive project and group tokens stay listed before the purge
 * @param maxAttempts                   delivery attempts before a message is given up as FAILED
 * @param initialBackoff                wait after the first failed attempt; doubles each time
 * @param maxBackoff                    the longest wait between attempts
 * @param lease                         how long a sender owns a message it is delivering
 * @param scheduling                    whether the cron jobs run in this process (tests drive them directly)
 */
@ConfigurationProperties("patrol.expiry")
public record ExpiryProperties(
        @DefaultValue({"60", "30", "7"}) List<Integer> emailThresholds,
        @DefaultValue({"7", "1"}) List<Integer> webhookThresholds,
        @DefaultValue({"30", "60"}) List<Integer> webhookExtendedThresholds,
        @DefaultValue({"7", "30", "60"}) List<Integer> deployTokenWebhookThresholds,
        @DefaultValue("30") int retentionDays,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("1m") Duration initialBackoff,
        @DefaultValue("6h") Duration maxBackoff,
        @DefaultValue("5m") Duration lease,
        @DefaultValue("true") boolean scheduling) {

    /** The wait after {@code attempts} failed attempts: initial * 2^(attempts-1), capped. */
    Duration backoff(int attempts) {
        Duration wait = initialBackoff.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 30));
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
