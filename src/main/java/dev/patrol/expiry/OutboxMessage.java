package dev.patrol.expiry;

import java.time.LocalDateTime;

/**
 * One e-mail or webhook call in the outbox; delivered ones stay as the delivery log.
 *
 * @param recipient an e-mail address, or the webhook's URL when the message was queued
 * @param body      the plain-text mail body or the webhook's JSON payload
 */
public record OutboxMessage(
        long id,
        Channel channel,
        String kind,
        String recipient,
        Long userId,
        Long webhookId,
        String subject,
        String body,
        DeliveryState state,
        int attempts,
        LocalDateTime nextAttemptAt,
        String lastError,
        Integer responseStatus,
        LocalDateTime createdAt,
        LocalDateTime deliveredAt) {

    public enum Channel {
        EMAIL, WEBHOOK
    }

    public enum DeliveryState {
        /** Waiting for its first or next attempt. */
        PENDING,
        /** Delivered. */
        SENT,
        /** Given up after the maximum number of attempts. */
        FAILED
    }
}
