package dev.patrol.expiry;

import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.USERS;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record3;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.Actor;
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenType;

/**
 * Purges project and group access tokens that have been inactive (revoked, rotated or expired) for longer than
 * the retention period, with their bot users and the bots' memberships once a bot has no token left. Works in
 * chunks, each one transaction of set-based statements with one audit event listing the purged ids.
 */
@Service
public class RetentionService {

    /** Tokens per transaction; keeps the audit event's id lists within its 4000-character details. */
    static final int CHUNK = 100;

    private final DSLContext dsl;
    private final TokenRepository tokens;
    private final OwnerRepository owners;
    private final AuditService audit;
    private final ExpiryProperties properties;
    private final TransactionTemplate transaction;
    private final Clock clock;

    RetentionService(DSLContext dsl, TokenRepository tokens, OwnerRepository owners, AuditService audit,
            ExpiryProperties properties, PlatformTransactionManager transactions, Clock clock) {
        this.dsl = dsl;
        this.tokens = tokens;
        this.owners = owners;
        this.audit = audit;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Purges the tokens revoked, rotated or expired (at 00:00 UTC on their expiry date) at least the retention
     * period ago; returns the number of tokens purged.
     */
    public int purgeInactive() {
        LocalDateTime cutoff = LocalDateTime.now(clock).minusDays(properties.retentionDays());
        Condition inactiveLongEnough = ACCESS_TOKENS.TYPE.in(TokenType.where(TokenType::purgedAfterRetention))
                .and(ACCESS_TOKENS.REVOKED_AT.le(cutoff).or(ACCESS_TOKENS.EXPIRES_AT.le(cutoff.toLocalDate())));
        int purged = 0;
        while (true) {
            Integer count = transaction.execute(status -> purgeChunk(inactiveLongEnough));
            if (count == null || count == 0) {
                return purged;
            }
            purged += count;
        }
    }

    private int purgeChunk(Condition inactive) {
        org.jooq.Result<Record3<Long, Long, Long>> rows = dsl.select(ACCESS_TOKENS.ID, ACCESS_TOKENS.USER_ID,
                        ACCESS_TOKENS.ROOT_GROUP_ID)
                .from(ACCESS_TOKENS).where(inactive).orderBy(ACCESS_TOKENS.ID).limit(CHUNK).forUpdate().fetch();
        if (rows.isEmpty()) {
            return 0;
        }
        List<Long> tokenIds = rows.map(Record3::value1);
        List<Long> botIds = rows.stream().map(Record3::value2).filter(Objects::nonNull).distinct().toList();
        int deleted = tokens.deleteAll(tokenIds);
        // A rotated token's successor keeps the same bot: only bots left without any token go.
        Condition orphanBot = USERS.ID.in(botIds)
                .and(USERS.KIND.in(UserKind.PROJECT_BOT, UserKind.GROUP_BOT))
                .and(DSL.notExists(DSL.selectOne().from(ACCESS_TOKENS).where(ACCESS_TOKENS.USER_ID.eq(USERS.ID))));
        List<Long> orphanIds = botIds.isEmpty() ? List.of()
                : dsl.select(USERS.ID).from(USERS).where(orphanBot).fetch(USERS.ID);
        owners.deleteBots(orphanIds);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("count", deleted);
        details.put("retention_days", properties.retentionDays());
        details.put("token_ids", tokenIds);
        details.put("bot_user_ids", orphanIds);
        audit.record(Actor.system(), "inactive_tokens_purged",
                new AuditTarget("AccessToken", null, deleted + " inactive project and group tokens", null), details);
        return deleted;
    }
}
