package dev.patrol.ops;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.jooq.DSLContext;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the schema ({@code flyway} in {@code /actuator/health/readiness}): the database's last migration
 * succeeded and is at least the newest this build ships. One small read of Flyway's history per probe; which
 * version this build ships is worked out once.
 */
@Component("flywayHealthIndicator")
class MigrationsHealth implements HealthIndicator {

    private final Flyway flyway;
    private final DSLContext dsl;
    private volatile MigrationVersion shipped;

    MigrationsHealth(Flyway flyway, DSLContext dsl) {
        this.flyway = flyway;
        this.dsl = dsl;
    }

    @Override
    public Health health() {
        try {
            return check();
        } catch (RuntimeException unreadable) {
            // no exception text: it would carry SQL and URLs to whoever reads health details
            return Health.down().withDetail("reason", "the database cannot be read").build();
        }
    }

    private Health check() {
        MigrationVersion expected = shipped();
        var last = dsl.select(field(name("version"), String.class), field(name("success"), Boolean.class))
                .from(table(name(flyway.getConfiguration().getTable())))
                .where(field(name("version")).isNotNull())
                .orderBy(field(name("installed_rank")).desc())
                .limit(1)
                .fetchOne();
        if (last == null) {
            return Health.down().withDetail("reason", "no migration has run").build();
        }
        MigrationVersion applied = MigrationVersion.fromVersion(last.value1());
        if (!Boolean.TRUE.equals(last.value2())) {
            return Health.down().withDetail("version", applied.getVersion()).withDetail("reason", "failed migration")
                    .build();
        }
        if (applied.compareTo(expected) < 0) {
            return Health.down().withDetail("version", applied.getVersion())
                    .withDetail("reason", "pending migrations up to " + expected.getVersion()).build();
        }
        return Health.up().withDetail("version", applied.getVersion()).build();
    }

    private MigrationVersion shipped() {
        MigrationVersion known = shipped;
        if (known == null) {
            known = Arrays.stream(flyway.info().all())
                    .map(MigrationInfo::getVersion)
                    .filter(Objects::nonNull)
                    .max(Comparator.naturalOrder())
                    .orElse(MigrationVersion.EMPTY);
            shipped = known;
        }
        return known;
    }
}
