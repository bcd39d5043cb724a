package dev.patrol.settings;

import static patrol.jooq.Tables.INSTANCE_SETTINGS;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Records;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.shared.Actor;
import dev.patrol.shared.PatrolException;

/** Reads and changes the instance settings; only admins may change them, and every change is audited. */
@Service
public class SettingsService {

    /** The one row of instance_settings: for a query of another module that joins it to read the settings along. */
    public static final Condition THE_INSTANCE = INSTANCE_SETTINGS.ID.eq(1);

    /**
     * The settings as one field of such a query: a change that a setting rules reads them with the row it changes,
     * one round trip instead of two.
     */
    @SuppressWarnings("unchecked")
    public static final Field<InstanceSettings> SETTINGS = (Field<InstanceSettings>) DSL.row(
            INSTANCE_SETTINGS.MAX_LIFETIME_DAYS, INSTANCE_SETTINGS.REQUIRE_EXPIRATION,
            INSTANCE_SETTINGS.IMPERSONATION_ENABLED).mapping(InstanceSettings::new);

    private final DSLContext dsl;
    private final AuditService audit;
    private final Clock clock;

    public SettingsService(DSLContext dsl, AuditService audit, Clock clock) {
        this.dsl = dsl;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public InstanceSettings current() {
        return dsl.select(INSTANCE_SETTINGS.MAX_LIFETIME_DAYS, INSTANCE_SETTINGS.REQUIRE_EXPIRATION,
                        INSTANCE_SETTINGS.IMPERSONATION_ENABLED)
                .from(INSTANCE_SETTINGS)
                .where(THE_INSTANCE)
                .fetchSingle(Records.mapping(InstanceSettings::new));
    }

    /** Applies the non-null fields of {@code change}. */
    @Transactional
    public InstanceSettings update(Actor actor, SettingsChange change) {
        if (!actor.admin()) {
            throw PatrolException.forbidden("Only administrators can change instance settings.");
        }
        InstanceSettings before = current();
        InstanceSettings after = new InstanceSettings(
                change.maxLifetimeDays() != null ? change.maxLifetimeDays() : before.maxLifetimeDays(),
                change.requireExpiration() != null ? change.requireExpiration() : before.requireExpiration(),
                change.impersonationEnabled() != null ? change.impersonationEnabled() : before.impersonationEnabled());
        if (after.maxLifetimeDays() < 1 || after.maxLifetimeDays() > InstanceSettings.MAX_LIFETIME_CEILING) {
            throw PatrolException.badInput("Maximum lifetime must be between 1 and "
                    + InstanceSettings.MAX_LIFETIME_CEILING + " days.");
        }
        dsl.update(INSTANCE_SETTINGS)
                .set(INSTANCE_SETTINGS.MAX_LIFETIME_DAYS, after.maxLifetimeDays())
                .set(INSTANCE_SETTINGS.REQUIRE_EXPIRATION, after.requireExpiration())
                .set(INSTANCE_SETTINGS.IMPERSONATION_ENABLED, after.impersonationEnabled())
                .set(INSTANCE_SETTINGS.UPDATED_AT, LocalDateTime.now(clock))
                .where(INSTANCE_SETTINGS.ID.eq(1))
                .execute();
        Map<String, Object> details = new LinkedHashMap<>();
        diff(details, "max_lifetime_days", before.maxLifetimeDays(), after.maxLifetimeDays());
        diff(details, "require_expiration", before.requireExpiration(), after.requireExpiration());
        diff(details, "impersonation_enabled", before.impersonationEnabled(), after.impersonationEnabled());
        audit.record(actor, "settings_updated", new AuditTarget("InstanceSettings", 1L, "instance", null), details);
        return after;
    }

    private static void diff(Map<String, Object> details, String name, Object before, Object after) {
        if (!before.equals(after)) {
            details.put(name, before + " -> " + after);
        }
    }
}
