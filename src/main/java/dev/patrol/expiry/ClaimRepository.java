package dev.patrol.expiry;

import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.EXPIRY_NOTIFICATIONS;
import static patrol.jooq.Tables.WEBHOOKS;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Records;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import dev.patrol.expiry.OutboxMessage.Channel;
import dev.patrol.token.TokenType;

/** Exactly-once claims of expiry notices, as set-based jOOQ statements. */
@Repository
class ClaimRepository {

    /** A notice this run claimed. */
    record Claim(long tokenId, Channel channel, int thresholdDays) {
    }

    private final DSLContext dsl;

    ClaimRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Claims, in one INSERT ... SELECT, every unrevoked token of the types that expires on {@code today +
     * threshold} and has no claim yet for this channel, threshold and expiry date. A concurrent run that claimed
     * the same token first makes this statement fail on the unique key; the caller retries the whole run.
     */
    int claim(String runId, Channel channel, int threshold, LocalDate today, Collection<TokenType> types,
            Condition extra, LocalDateTime now) {
        var n = EXPIRY_NOTIFICATIONS.as("n");
        return dsl.insertInto(EXPIRY_NOTIFICATIONS, EXPIRY_NOTIFICATIONS.TOKEN_ID, EXPIRY_NOTIFICATIONS.CHANNEL,
                        EXPIRY_NOTIFICATIONS.THRESHOLD_DAYS, EXPIRY_NOTIFICATIONS.EXPIRES_AT, EXPIRY_NOTIFICATIONS.RUN_ID,
                        EXPIRY_NOTIFICATIONS.CREATED_AT)
                .select(DSL.select(ACCESS_TOKENS.ID, DSL.val(channel, EXPIRY_NOTIFICATIONS.CHANNEL), DSL.val(threshold),
                                ACCESS_TOKENS.EXPIRES_AT, DSL.val(runId), DSL.val(now))
                        .from(ACCESS_TOKENS)
                        .where(ACCESS_TOKENS.EXPIRES_AT.eq(today.plusDays(threshold)),
                                ACCESS_TOKENS.REVOKED_AT.isNull(),
                                ACCESS_TOKENS.TYPE.in(types),
                                extra,
                                DSL.notExists(DSL.selectOne().from(n).where(n.TOKEN_ID.eq(ACCESS_TOKENS.ID),
                                        n.CHANNEL.eq(channel), n.THRESHOLD_DAYS.eq(threshold),
                                        n.EXPIRES_AT.eq(ACCESS_TOKENS.EXPIRES_AT)))))
                .execute();
    }

    /** Tokens whose project or group has a webhook for token events (and extended thresholds, if asked). */
    static Condition hasTokenWebhook(boolean extended) {
        Condition hook = WEBHOOKS.RESOURCE_ACCESS_TOKEN_EVENTS.isTrue()
                .and(WEBHOOKS.PROJECT_ID.eq(ACCESS_TOKENS.PROJECT_ID).or(WEBHOOKS.GROUP_ID.eq(ACCESS_TOKENS.GROUP_ID)));
        if (extended) {
            hook = hook.and(WEBHOOKS.EXTENDED_EXPIRY_THRESHOLDS.isTrue());
        }
        return DSL.exists(DSL.selectOne().from(WEBHOOKS).where(hook));
    }

    List<Claim> claimsOf(String runId) {
        return dsl.select(EXPIRY_NOTIFICATIONS.TOKEN_ID, EXPIRY_NOTIFICATIONS.CHANNEL,
                        EXPIRY_NOTIFICATIONS.THRESHOLD_DAYS)
                .from(EXPIRY_NOTIFICATIONS)
                .where(EXPIRY_NOTIFICATIONS.RUN_ID.eq(runId))
                .orderBy(EXPIRY_NOTIFICATIONS.TOKEN_ID)
                .fetch(Records.mapping(Claim::new));
    }
}
