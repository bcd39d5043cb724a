package dev.patrol.expiry;

import static patrol.jooq.Tables.NOTIFICATION_OUTBOX;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import dev.patrol.expiry.OutboxMessage.Channel;
import dev.patrol.expiry.OutboxMessage.DeliveryState;

/** The notification outbox and delivery log, as jOOQ queries. */
@Repository
class OutboxRepository {

    private final DSLContext dsl;

    OutboxRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    long insert(Channel channel, String kind, String recipient, Long userId, Long webhookId, String subject,
            String body, LocalDateTime now) {
        return dsl.insertInto(NOTIFICATION_OUTBOX)
                .set(NOTIFICATION_OUTBOX.CHANNEL, channel)
                .set(NOTIFICATION_OUTBOX.KIND, kind)
                .set(NOTIFICATION_OUTBOX.RECIPIENT, recipient)
                .set(NOTIFICATION_OUTBOX.USER_ID, userId)
                .set(NOTIFICATION_OUTBOX.WEBHOOK_ID, webhookId)
                .set(NOTIFICATION_OUTBOX.SUBJECT, subject)
                .set(NOTIFICATION_OUTBOX.BODY, body)
                .set(NOTIFICATION_OUTBOX.STATE, DeliveryState.PENDING)
                .set(NOTIFICATION_OUTBOX.ATTEMPTS, 0)
                .set(NOTIFICATION_OUTBOX.NEXT_ATTEMPT_AT, now)
                .set(NOTIFICATION_OUTBOX.CREATED_AT, now)
                .returningResult(NOTIFICATION_OUTBOX.ID)
                .fetchSingle(NOTIFICATION_OUTBOX.ID);
    }

    /** Newest first, keyset on id; {@code webhookId} narrows to one webhook's delivery log. */
    List<OutboxMessage> page(Long webhookId, Long beforeId, int limit) {
        Condition where = DSL.noCondition();
        if (webhookId != null) {
            where = where.and(NOTIFICATION_OUTBOX.WEBHOOK_ID.eq(webhookId));
        }
        if (beforeId != null) {
            where = where.and(NOTIFICATION_OUTBOX.ID.lt(beforeId));
        }
        return dsl.select().from(NOTIFICATION_OUTBOX).where(where).orderBy(NOTIFICATION_OUTBOX.ID.desc()).limit(limit)
                .fetch(OutboxRepository::toMessage);
    }

    List<OutboxMessage> findByIds(Collection<Long> ids) {
        return dsl.select().from(NOTIFICATION_OUTBOX).where(NOTIFICATION_OUTBOX.ID.in(ids))
                .orderBy(NOTIFICATION_OUTBOX.ID).fetch(OutboxRepository::toMessage);
    }

    /**
     * Leases up to {@code limit} due messages of the given channels to {@code owner}: the conditional update
     * lets exactly one of several concurrent senders win each row; an expired lease (a sender that died) makes
     * the row due again.
     */
    List<OutboxMessage> lease(String owner, Collection<Channel> channels, LocalDateTime now, LocalDateTime until,
            int limit) {
        Condition due = NOTIFICATION_OUTBOX.STATE.eq(DeliveryState.PENDING)
                .and(NOTIFICATION_OUTBOX.NEXT_ATTEMPT_AT.le(now))
                .and(NOTIFICATION_OUTBOX.LOCKED_UNTIL.isNull().or(NOTIFICATION_OUTBOX.LOCKED_UNTIL.lt(now)))
                .and(NOTIFICATION_OUTBOX.CHANNEL.in(channels));
        List<Long> ids = dsl.select(NOTIFICATION_OUTBOX.ID).from(NOTIFICATION_OUTBOX).where(due)
                .orderBy(NOTIFICATION_OUTBOX.NEXT_ATTEMPT_AT, NOTIFICATION_OUTBOX.ID).limit(limit)
                .fetch(NOTIFICATION_OUTBOX.ID);
        if (ids.isEmpty()) {
            return List.of();
        }
        dsl.update(NOTIFICATION_OUTBOX)
                .set(NOTIFICATION_OUTBOX.LOCKED_BY, owner)
                .set(NOTIFICATION_OUTBOX.LOCKED_UNTIL, until)
                .where(NOTIFICATION_OUTBOX.ID.in(ids).and(due))
                .execute();
        return dsl.select().from(NOTIFICATION_OUTBOX).where(NOTIFICATION_OUTBOX.LOCKED_BY.eq(owner))
                .orderBy(NOTIFICATION_OUTBOX.ID).fetch(OutboxRepository::toMessage);
    }

    /** Records a delivery, if this sender still holds the lease. */
    boolean markSent(long id, String owner, LocalDateTime now, Integer status) {
        return dsl.update(NOTIFICATION_OUTBOX)
                .set(NOTIFICATION_OUTBOX.STATE, DeliveryState.SENT)
                .set(NOTIFICATION_OUTBOX.ATTEMPTS, NOTIFICATION_OUTBOX.ATTEMPTS.plus(1))
                .set(NOTIFICATION_OUTBOX.DELIVERED_AT, now)
                .set(NOTIFICATION_OUTBOX.RESPONSE_STATUS, status)
                .set(NOTIFICATION_OUTBOX.LAST_ERROR, (String) null)
                .setNull(NOTIFICATION_OUTBOX.LOCKED_BY)
                .setNull(NOTIFICATION_OUTBOX.LOCKED_UNTIL)
                .where(NOTIFICATION_OUTBOX.ID.eq(id), NOTIFICATION_OUTBOX.LOCKED_BY.eq(owner))
                .execute() == 1;
    }

    /** Records a failed attempt and when to try again, or gives up when {@code giveUp}. */
    boolean markFailed(long id, String owner, LocalDateTime nextAttempt, String error, Integer status,
            boolean giveUp) {
        return dsl.update(NOTIFICATION_OUTBOX)
                .set(NOTIFICATION_OUTBOX.STATE, giveUp ? DeliveryState.FAILED : DeliveryState.PENDING)
                .set(NOTIFICATION_OUTBOX.ATTEMPTS, NOTIFICATION_OUTBOX.ATTEMPTS.plus(1))
                .set(NOTIFICATION_OUTBOX.NEXT_ATTEMPT_AT, nextAttempt)
                .set(NOTIFICATION_OUTBOX.LAST_ERROR, error)
                .set(NOTIFICATION_OUTBOX.RESPONSE_STATUS, status)
                .setNull(NOTIFICATION_OUTBOX.LOCKED_BY)
                .setNull(NOTIFICATION_OUTBOX.LOCKED_UNTIL)
                .where(NOTIFICATION_OUTBOX.ID.eq(id), NOTIFICATION_OUTBOX.LOCKED_BY.eq(owner))
                .execute() == 1;
    }

    NotificationOutbox.Backlog backlog() {
        return dsl.select(DSL.count(), DSL.min(NOTIFICATION_OUTBOX.CREATED_AT)).from(NOTIFICATION_OUTBOX)
                .where(NOTIFICATION_OUTBOX.STATE.eq(DeliveryState.PENDING))
                .fetchSingle(r -> new NotificationOutbox.Backlog(r.value1(), r.value2()));
    }

    private static OutboxMessage toMessage(Record r) {
        return new OutboxMessage(r.get(NOTIFICATION_OUTBOX.ID), r.get(NOTIFICATION_OUTBOX.CHANNEL),
                r.get(NOTIFICATION_OUTBOX.KIND), r.get(NOTIFICATION_OUTBOX.RECIPIENT),
                r.get(NOTIFICATION_OUTBOX.USER_ID), r.get(NOTIFICATION_OUTBOX.WEBHOOK_ID),
                r.get(NOTIFICATION_OUTBOX.SUBJECT), r.get(NOTIFICATION_OUTBOX.BODY),
                r.get(NOTIFICATION_OUTBOX.STATE), r.get(NOTIFICATION_OUTBOX.ATTEMPTS),
                r.get(NOTIFICATION_OUTBOX.NEXT_ATTEMPT_AT), r.get(NOTIFICATION_OUTBOX.LAST_ERROR),
                r.get(NOTIFICATION_OUTBOX.RESPONSE_STATUS), r.get(NOTIFICATION_OUTBOX.CREATED_AT),
                r.get(NOTIFICATION_OUTBOX.DELIVERED_AT));
    }
}
