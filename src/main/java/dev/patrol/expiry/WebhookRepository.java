package dev.patrol.expiry;

import static patrol.jooq.Tables.WEBHOOKS;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Records;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import dev.patrol.secrets.SecretCipher;
import dev.patrol.secrets.SecretCipher.Sealed;

/** Webhooks, as jOOQ queries. Secret tokens are sealed here, so plaintext never reaches a statement. */
@Repository
class WebhookRepository {

    private final DSLContext dsl;
    private final SecretCipher cipher;

    WebhookRepository(DSLContext dsl, SecretCipher cipher) {
        this.dsl = dsl;
        this.cipher = cipher;
    }

    /** A stored secret as it is in the database: sealed under {@code keyId}, or plaintext when that is null. */
    record StoredSecret(long webhookId, String keyId, String value) {
    }

    long insert(Long projectId, Long groupId, String url, String secret, boolean tokenEvents, boolean extended,
            Long createdById, LocalDateTime now) {
        long id = dsl.insertInto(WEBHOOKS)
                .set(WEBHOOKS.PROJECT_ID, projectId)
                .set(WEBHOOKS.GROUP_ID, groupId)
                .set(WEBHOOKS.URL, url)
                .set(WEBHOOKS.RESOURCE_ACCESS_TOKEN_EVENTS, tokenEvents)
                .set(WEBHOOKS.EXTENDED_EXPIRY_THRESHOLDS, extended)
                .set(WEBHOOKS.CREATED_BY_ID, createdById)
                .set(WEBHOOKS.CREATED_AT, now)
                .returningResult(WEBHOOKS.ID)
                .fetchSingle(WEBHOOKS.ID);
        if (secret != null) {
            // sealed after the insert: the row id is part of the associated data
            Sealed sealed = cipher.seal(secret, context(id));
            dsl.update(WEBHOOKS).set(WEBHOOKS.SECRET_TOKEN, sealed.value()).set(WEBHOOKS.SECRET_KEY_ID, sealed.keyId())
                    .where(WEBHOOKS.ID.eq(id)).execute();
        }
        return id;
    }

    Optional<Webhook> find(long id) {
        return dsl.select().from(WEBHOOKS).where(WEBHOOKS.ID.eq(id)).fetchOptional(WebhookRepository::toWebhook);
    }

    /** The plaintext secret token of a webhook, if it has one. */
    Optional<String> secretOf(long id) {
        return dsl.select(WEBHOOKS.ID, WEBHOOKS.SECRET_KEY_ID, WEBHOOKS.SECRET_TOKEN).from(WEBHOOKS)
                .where(WEBHOOKS.ID.eq(id).and(WEBHOOKS.SECRET_TOKEN.isNotNull()))
                .fetchOptional(Records.mapping(StoredSecret::new)).map(this::open);
    }

    /** Secrets not sealed under {@code keyId}: plaintext ones and, unless {@code plaintextOnly}, older keys'. */
    List<StoredSecret> secretsNotUnder(String keyId, boolean plaintextOnly) {
        Condition stale = plaintextOnly ? WEBHOOKS.SECRET_KEY_ID.isNull()
                : WEBHOOKS.SECRET_KEY_ID.isNull().or(WEBHOOKS.SECRET_KEY_ID.ne(keyId));
        return dsl.select(WEBHOOKS.ID, WEBHOOKS.SECRET_KEY_ID, WEBHOOKS.SECRET_TOKEN).from(WEBHOOKS)
                .where(WEBHOOKS.SECRET_TOKEN.isNotNull().and(stale)).orderBy(WEBHOOKS.ID)
                .fetch(Records.mapping(StoredSecret::new));
    }

    /**
     * Seals a stored secret again under the active key. The update only applies while the row still holds what was
     * read, so concurrent instances doing the same never seal a value twice or overwrite a newer one.
     */
    boolean reseal(StoredSecret stored) {
        Sealed sealed = cipher.seal(open(stored), context(stored.webhookId()));
        Condition unchanged = WEBHOOKS.SECRET_TOKEN.eq(stored.value()).and(stored.keyId() == null
                ? WEBHOOKS.SECRET_KEY_ID.isNull() : WEBHOOKS.SECRET_KEY_ID.eq(stored.keyId()));
        return dsl.update(WEBHOOKS).set(WEBHOOKS.SECRET_TOKEN, sealed.value()).set(WEBHOOKS.SECRET_KEY_ID, sealed.keyId())
                .where(WEBHOOKS.ID.eq(stored.webhookId()).and(unchanged)).execute() == 1;
    }

    private String open(StoredSecret stored) {
        return stored.keyId() == null ? stored.value()
                : cipher.open(new Sealed(stored.keyId(), stored.value()), context(stored.webhookId()));
    }

    private static String context(long webhookId) {
        return "webhooks.secret_token/" + webhookId;
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
