package dev.patrol.expiry;

import java.util.EnumMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.patrol.expiry.OutboxMessage.Channel;
import dev.patrol.shared.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The outbox's counters, by channel (email, webhook): {@code patrol.notices.queued} (also by kind: token_expiring,
 * credential_revoked, ...) once the change that queued a notice commits, {@code patrol.notices.sent}, and
 * {@code patrol.notices.failed} for each failed attempt ({@code final=true} when it was the last one). Sent and
 * failed exist from the start, at zero, so an alert's rate() sees the first failure. Its backlog
 * is read by {@link NotificationOutbox#backlog}, on a schedule, never by a scrape.
 */
@Component
class OutboxMetrics {

    private final MeterRegistry registry;
    private final Map<Channel, Counter> sent = new EnumMap<>(Channel.class);
    private final Map<Channel, Counter> retried = new EnumMap<>(Channel.class);
    private final Map<Channel, Counter> gaveUp = new EnumMap<>(Channel.class);

    OutboxMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Channel channel : Channel.values()) {
            sent.put(channel, Counter.builder("patrol.notices.sent").description("Notices delivered")
                    .tag("channel", channel(channel)).register(registry));
            retried.put(channel, failed(channel, false));
            gaveUp.put(channel, failed(channel, true));
        }
    }

    private Counter failed(Channel channel, boolean last) {
        return Counter.builder("patrol.notices.failed").description("Failed delivery attempts of notices")
                .tag("channel", channel(channel)).tag("final", String.valueOf(last)).register(registry);
    }

    void queued(Channel channel, String kind) {
        Counter counter = Counter.builder("patrol.notices.queued").description("Notices queued in the outbox")
                .tag("channel", channel(channel)).tag("kind", kind).register(registry);
        AfterCommit.run(counter::increment);
    }

    void sent(OutboxMessage message) {
        sent.get(message.channel()).increment();
    }

    void failed(OutboxMessage message, boolean last) {
        (last ? gaveUp : retried).get(message.channel()).increment();
    }

    private static String channel(Channel channel) {
        return channel.name().toLowerCase();
    }
}
