package dev.patrol.expiry;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.expiry.OutboxMessage.Channel;
import dev.patrol.shared.Actor;
import dev.patrol.shared.Connection;
import dev.patrol.shared.Cursors;
import dev.patrol.shared.PageRequest;
import dev.patrol.shared.PatrolException;

/**
 * Queues e-mails and webhook calls for {@link OutboxSender} and lets administrators read the queue and the
 * delivery log (GraphQL {@code notificationOutbox}, and the console through {@link #list}).
 */
@Service
public class NotificationOutbox {

    private static final String CURSOR = "outbox";

    private final OutboxRepository outbox;
    private final Clock clock;
    private final OutboxMetrics metrics;

    NotificationOutbox(OutboxRepository outbox, Clock clock, OutboxMetrics metrics) {
        this.outbox = outbox;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Queues an e-mail inside the caller's transaction, so it is sent only if the change that caused it commits. */
    @Transactional(propagation = Propagation.MANDATORY)
    public long enqueueMail(String kind, String address, Long userId, String subject, String body) {
        long id = outbox.insert(Channel.EMAIL, kind, address, userId, null, subject, body, LocalDateTime.now(clock));
        metrics.queued(Channel.EMAIL, kind);
        return id;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    long enqueueWebhook(String kind, Webhook webhook, String payload) {
        long id = outbox.insert(Channel.WEBHOOK, kind, webhook.url(), null, webhook.id(), null, payload,
                LocalDateTime.now(clock));
        metrics.queued(Channel.WEBHOOK, kind);
        return id;
    }

    /** Messages still to deliver and when the oldest was queued (null when none); for a metric's periodic read. */
    public Backlog backlog() {
        return outbox.backlog();
    }

    /** The undelivered messages (pending, retrying or waiting for a mail server) and the oldest one's queuing time. */
    public record Backlog(int messages, LocalDateTime oldestQueuedAt) {
    }

    /** The newest messages first, older than {@code beforeId} when given; administrators only. */
    @Transactional(readOnly = true)
    public List<OutboxMessage> list(Actor actor, Long beforeId, int limit) {
        requireAdmin(actor);
        return outbox.page(null, beforeId, Math.min(Math.max(limit, 0), PageRequest.MAX_SIZE));
    }

    @Transactional(readOnly = true)
    public Connection<OutboxMessage> page(Actor actor, Integer first, String after) {
        requireAdmin(actor);
        return deliveryPage(null, first, after);
    }

    Connection<OutboxMessage> deliveryPage(Long webhookId, Integer first, String after) {
        PageRequest page = PageRequest.of(first, after, null, null);
        Long beforeId = page.cursor() == null ? null : Long.valueOf(Cursors.decode(page.cursor(), CURSOR, 1).getFirst());
        List<OutboxMessage> rows = outbox.page(webhookId, beforeId, page.size() + 1);
        return Connection.of(rows, page.size(), false, beforeId != null, m -> Cursors.encode(CURSOR, m.id()),
                () -> {
                    throw PatrolException.badInput("count is not available for this list.");
                });
    }

    private static void requireAdmin(Actor actor) {
        if (!actor.admin()) {
            throw PatrolException.forbidden("Only administrators can read the notification outbox.");
        }
    }
}
