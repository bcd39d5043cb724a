package dev.patrol.expiry;

import static dev.patrol.jooq.Tables.WEBHOOKS;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Webhooks, as jOOQ queries. */
@Repository
class WebhookRepository {

    private final DSLContext dsl;

    WebhookRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    long insert(Long projectId, Long groupId, String url, String secret, boolean tokenEvents, boolean extended,
            Long createdById, LocalDateTime now) {
        return dsl.insertInto(WEBHOOKS)
                .set(WEBHOOKS.PROJECT_ID, projectId)
                .set(WEBHOOKS.GROUP_ID, groupId)
                .set(WEBHOOKS.URL, url)
                .set(WEBHOOKS.SECRET_TOKEN, secret)
                .set(WEBHOOKS.RESOURCE_ACCESS_TOKEN_EVENTS, tokenEvents)
                .set(WEBHOOKS.EXTENDED_EXPIRY_THRESHOLDS, extended)
                .set(WEBHOOKS.CREATED_BY_ID, createdById)
                .set(WEBHOOKS.CREATED_AT, now)
                .returningResult(WEBHOOKS.ID)
                .fetchSingle(WEBHOOKS.ID);
    }

    Optional<Webhook> find(long id) {
        return dsl.select().from(WEBHOOKS).where(WEBHOOKS.ID.eq(id)).fetchOptional(WebhookRepository::toWebhook);
    }

    Optional<String> secretOf(long id) {
        return dsl.select(WEBHOOKS.SECRET_TOKEN).from(WEBHOOKS).where(WEBHOOKS.ID.eq(id))
                .fetchOptional(WEBHOOKS.SECRET_TOKEN);
    }

    List<Webhook> ofProject(long projectId) {
        return dsl.select().from(WEBHOOKS).where(WEBHOOKS.PROJECT_ID.eq(projectId)).orderBy(WEBHOOKS.ID)
                .fetch(WebhookRepository::toWebhook);
    }

    List<Webhook> ofGroup(long groupId) {
        return dsl.select().from(WEBHOOKS).where(WEBHOOKS.GROUP_ID.eq(groupId)).orderBy(WEBHOOKS.ID)
                .fetch(WebhookRepository::toWebhook);
    }

    /** Token-event webhooks of any of these projects or groups: one statement for a whole run. */
    List<Webhook> tokenEventHooks(Collection<Long> projectIds, Collection<Long> groupIds) {
        Condition owner = DSL.falseCondition();
        if (!projectIds.isEmpty()) {
            owner = owner.or(WEBHOOKS.PROJECT_ID.in(projectIds));
        }
        if (!groupIds.isEmpty()) {
            owner = owner.or(WEBHOOKS.GROUP_ID.in(groupIds));
        }
        return dsl.select().from(WEBHOOKS).where(owner.and(WEBHOOKS.RESOURCE_ACCESS_TOKEN_EVENTS.isTrue()))
                .orderBy(WEBHOOKS.ID).fetch(WebhookRepository::toWebhook);
    }

    boolean delete(long id) {
        return dsl.deleteFrom(WEBHOOKS).where(WEBHOOKS.ID.eq(id)).execute() == 1;
    }

    private static Webhook toWebhook(Record r) {
        return new Webhook(r.get(WEBHOOKS.ID), r.get(WEBHOOKS.PROJECT_ID), r.get(WEBHOOKS.GROUP_ID),
                r.get(WEBHOOKS.URL), r.get(WEBHOOKS.SECRET_TOKEN) != null,
                r.get(WEBHOOKS.RESOURCE_ACCESS_TOKEN_EVENTS), r.get(WEBHOOKS.EXTENDED_EXPIRY_THRESHOLDS),
                r.get(WEBHOOKS.CREATED_BY_ID), r.get(WEBHOOKS.CREATED_AT));
    }
}
