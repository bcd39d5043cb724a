package dev.patrol.audit;

import static patrol.jooq.Tables.AUDIT_EVENTS;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Records;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.shared.Actor;

/**
 * Writes and reads audit events. Services call {@link #record} inside their own transaction, so a
 * change and its audit event commit or roll back together.
 */
@Service
public class AuditService {

    private final DSLContext dsl;
    private final Clock clock;

    public AuditService(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * Records one event. Details are key/value pairs rendered as {@code key=value} in a stable order;
     * callers must never pass a secret.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(Actor actor, String action, AuditTarget target, Map<String, ?> details) {
        dsl.insertInto(AUDIT_EVENTS)
                .set(AUDIT_EVENTS.CREATED_AT, LocalDateTime.now(clock))
                .set(AUDIT_EVENTS.ACTOR_ID, actor.userId())
                .set(AUDIT_EVENTS.ACTOR_NAME, actor.username())
                .set(AUDIT_EVENTS.ACTION, action)
                .set(AUDIT_EVENTS.TARGET_TYPE, target.type())
                .set(AUDIT_EVENTS.TARGET_ID, target.id())
                .set(AUDIT_EVENTS.TARGET_NAME, target.name())
                .set(AUDIT_EVENTS.GROUP_ID, target.groupId())
                .set(AUDIT_EVENTS.SOURCE, actor.source().label())
                .set(AUDIT_EVENTS.IP, actor.ip())
                .set(AUDIT_EVENTS.DETAILS, render(details))
                .execute();
    }

    /** Events newest first, after the given id (keyset), optionally for one target or one group. */
    @Transactional(readOnly = true)
    public List<AuditEvent> list(AuditQuery query, int limit) {
        Condition where = DSL.noCondition();
        if (query.targetType() != null) {
            where = where.and(AUDIT_EVENTS.TARGET_TYPE.eq(query.targetType()));
        }
        if (query.targetId() != null) {
            where = where.and(AUDIT_EVENTS.TARGET_ID.eq(query.targetId()));
        }
        if (query.action() != null) {
            where = where.and(AUDIT_EVENTS.ACTION.eq(query.action()));
        }
        if (query.actorId() != null) {
            where = where.and(AUDIT_EVENTS.ACTOR_ID.eq(query.actorId()));
        }
        if (query.groupId() != null) {
            where = where.and(AUDIT_EVENTS.GROUP_ID.eq(query.groupId()));
        }
        if (query.beforeId() != null) {
            where = where.and(AUDIT_EVENTS.ID.lt(query.beforeId()));
        }
        return dsl.select(AUDIT_EVENTS.ID, AUDIT_EVENTS.CREATED_AT, AUDIT_EVENTS.ACTOR_ID, AUDIT_EVENTS.ACTOR_NAME,
                        AUDIT_EVENTS.ACTION, AUDIT_EVENTS.TARGET_TYPE, AUDIT_EVENTS.TARGET_ID,
                        AUDIT_EVENTS.TARGET_NAME, AUDIT_EVENTS.GROUP_ID, AUDIT_EVENTS.SOURCE, AUDIT_EVENTS.IP,
                        AUDIT_EVENTS.DETAILS)
                .from(AUDIT_EVENTS)
                .where(where)
                .orderBy(AUDIT_EVENTS.ID.desc())
                .limit(limit)
                .fetch(Records.mapping(AuditEvent::new));
    }

    private static String render(Map<String, ?> details) {
        if (details == null || details.isEmpty()) {
            return null;
        }
        return details.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
