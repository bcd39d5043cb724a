package dev.patrol.expiry;

import static patrol.jooq.Tables.NOTIFICATION_SETTINGS;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Map;

import org.jooq.DSLContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.shared.Actor;
import dev.patrol.shared.PatrolException;

/**
 * Instance-level notification switches. Webhooks to loopback, link-local and private addresses are allowed
 * when an administrator turns {@code allowLocalWebhooks} on, or when {@code patrol.webhooks.allow-local} is set.
 */
@Service
public class NotificationSettingsService {

    private final DSLContext dsl;
    private final AuditService audit;
    private final Clock clock;
    private final boolean allowLocalByConfig;

    NotificationSettingsService(DSLContext dsl, AuditService audit, Clock clock,
            @Value("${patrol.webhooks.allow-local:false}") boolean allowLocalByConfig) {
        this.dsl = dsl;
        this.audit = audit;
        this.clock = clock;
        this.allowLocalByConfig = allowLocalByConfig;
    }

    /** Whether webhooks may target local and private addresses. */
    @Transactional(readOnly = true)
    public boolean allowLocalWebhooks() {
        return allowLocalByConfig || dsl.select(NOTIFICATION_SETTINGS.ALLOW_LOCAL_WEBHOOKS).from(NOTIFICATION_SETTINGS)
                .where(NOTIFICATION_SETTINGS.ID.eq(1)).fetchSingle(NOTIFICATION_SETTINGS.ALLOW_LOCAL_WEBHOOKS);
    }

    @Transactional
    public boolean setAllowLocalWebhooks(Actor actor, boolean allow) {
        if (!actor.admin()) {
            throw PatrolException.forbidden("Only administrators can change notification settings.");
        }
        dsl.update(NOTIFICATION_SETTINGS)
                .set(NOTIFICATION_SETTINGS.ALLOW_LOCAL_WEBHOOKS, allow)
                .set(NOTIFICATION_SETTINGS.UPDATED_AT, LocalDateTime.now(clock))
                .where(NOTIFICATION_SETTINGS.ID.eq(1))
                .execute();
        audit.record(actor, "notification_settings_updated",
                new AuditTarget("NotificationSettings", 1L, "instance", null), Map.of("allow_local_webhooks", allow));
        return allowLocalWebhooks();
    }
}
