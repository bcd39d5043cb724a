package dev.patrol.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.patrol.CannotStart;
import dev.patrol.database.Migrations.MigrationProperties;
import dev.patrol.database.Migrations.Mode;

/** One instance migrates; the others wait for the schema or refuse to start on an older one. */
class MigrationsTest {

    private final Flyway flyway = Flyway.configure()
            .dataSource("jdbc:h2:mem:migrations-" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                    + "CASE_INSENSITIVE_IDENTIFIERS=TRUE;NON_KEYWORDS=VALUE,USER;DB_CLOSE_DELAY=-1", "sa", "")
            .locations("classpath:db/migration")
            .load();

    @Test
    void anInstanceThatDoesNotMigrateRefusesToStartOnAnOlderSchema() {
        assertThatThrownBy(() -> strategy(Mode.FALSE, Duration.ZERO).migrate(flyway))
                .isInstanceOf(CannotStart.class)
                .hasMessageContaining("patrol.database.migrate=true");
        assertThat(flyway.info().applied()).isEmpty();
    }

    @Test
    void anInstanceThatWaitsStartsOnceAnotherHasMigrated() {
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(
                () -> strategy(Mode.WAIT, Duration.ofMinutes(1)).migrate(flyway));
        strategy(Mode.TRUE, Duration.ZERO).migrate(flyway);

        waiting.join();
        assertThat(flyway.info().pending()).isEmpty();
    }

    @Test
    void anInstanceThatWaitsGivesUpAfterItsTime() {
        assertThatThrownBy(() -> strategy(Mode.WAIT, Duration.ZERO).migrate(flyway)).isInstanceOf(CannotStart.class);
    }

    private static org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy strategy(Mode mode,
            Duration wait) {
        return new Migrations().patrolMigrationStrategy(new MigrationProperties(mode, wait));
    }
}
