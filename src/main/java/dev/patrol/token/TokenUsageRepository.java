package dev.patrol.token;

import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.ACCESS_TOKEN_LAST_USED_IPS;
import static patrol.jooq.Tables.ACCESS_TOKEN_SCOPE_USAGE;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jooq.CaseConditionStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * Writes the usage of tokens that the API collected (last-used time, client addresses, the scopes requests
 * needed): a fixed number of set-based statements per call, however many tokens it carries.
 */
@Repository
public class TokenUsageRepository {

    /** A token seen from an address at a time. */
    public record AddressUse(long tokenId, String ip, LocalDateTime usedAt) {
    }

    /** A token's scope needed by a request at a time. */
    public record ScopeUse(long tokenId, String scope, LocalDateTime usedAt) {
    }

    private final DSLContext dsl;

    TokenUsageRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Sets the last-used time of each token, one statement; a token last used after {@code writtenBefore} keeps
     * its time, so several instances keep the same pace.
     */
    public void recordLastUsed(Map<Long, LocalDateTime> lastUsed, LocalDateTime writtenBefore) {
        dsl.update(ACCESS_TOKENS)
                .set(ACCESS_TOKENS.LAST_USED_AT, DSL.case_(ACCESS_TOKENS.ID).mapValues(lastUsed))
                .where(ACCESS_TOKENS.ID.in(lastUsed.keySet()))
                .and(ACCESS_TOKENS.LAST_USED_AT.isNull().or(ACCESS_TOKENS.LAST_USED_AT.le(writtenBefore)))
                .execute();
    }

    /** Stores the addresses (one per token and address) and keeps each token's newest {@code kept}: three statements. */
    public void recordAddresses(Collection<AddressUse> uses, int kept) {
        // Delete and insert rather than upsert: jOOQ renders MySQL's upsert (AS excluded) on MariaDB, which rejects it.
        var t = ACCESS_TOKEN_LAST_USED_IPS;
        dsl.deleteFrom(t)
                .where(DSL.row(t.TOKEN_ID, t.IP).in(uses.stream()
                        .map(u -> DSL.row(u.tokenId(), u.ip())).toList()))
                .execute();
        var insert = dsl.insertInto(t, t.TOKEN_ID, t.IP, t.USED_AT);
        for (AddressUse u : uses) {
            insert = insert.values(u.tokenId(), u.ip(), u.usedAt());
        }
        insert.execute();

        List<Long> tokenIds = uses.stream().map(AddressUse::tokenId).distinct().toList();
        var ranked = DSL.select(t.TOKEN_ID, t.IP,
                        DSL.rowNumber().over(DSL.partitionBy(t.TOKEN_ID).orderBy(t.USED_AT.desc(), t.IP)).as("rn"))
                .from(t)
                .where(t.TOKEN_ID.in(tokenIds))
                .asTable("ranked");
        dsl.deleteFrom(t)
                .where(t.TOKEN_ID.in(tokenIds))
                .and(DSL.row(t.TOKEN_ID, t.IP).in(
                        DSL.select(ranked.field(t.TOKEN_ID), ranked.field(t.IP))
                                .from(ranked)
                                .where(ranked.field("rn", Integer.class).gt(kept))))
                .execute();
    }

    /** Notes each scope's first and last use (one per token and scope): two statements. */
    public void recordScopes(Collection<ScopeUse> uses) {
        var t = ACCESS_TOKEN_SCOPE_USAGE;
        var insert = dsl.insertInto(t, t.TOKEN_ID, t.SCOPE, t.FIRST_USED_AT, t.LAST_USED_AT);
        for (ScopeUse u : uses) {
            insert = insert.values(u.tokenId(), u.scope(), u.usedAt(), u.usedAt());
        }
        insert.onDuplicateKeyIgnore().execute();
        CaseConditionStep<LocalDateTime> lastUsed = null;
        for (ScopeUse u : uses) {
            Condition row = t.TOKEN_ID.eq(u.tokenId()).and(t.SCOPE.eq(u.scope()));
            lastUsed = lastUsed == null ? DSL.when(row, u.usedAt()) : lastUsed.when(row, u.usedAt());
        }
        dsl.update(t)
                .set(t.LAST_USED_AT, lastUsed.otherwise(t.LAST_USED_AT))
                .where(DSL.row(t.TOKEN_ID, t.SCOPE).in(uses.stream()
                        .map(u -> DSL.row(u.tokenId(), u.scope())).toList()))
                .execute();
    }
}
