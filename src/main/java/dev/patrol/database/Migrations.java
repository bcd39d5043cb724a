package dev.patrol.database;

import java.time.Duration;
import java.time.Instant;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.patrol.CannotStart;

/**
 * Which instance migrates the schema ({@code patrol.database.migrate}). Flyway's lock is a named lock of the server
 * it is connected to; on a Galera cluster that lock is node-local, so two instances starting at once on two nodes
 * could both run the same migration. There, exactly one instance (or a one-off run) migrates, and the others
 * {@code wait} until the schema has every migration they know, or refuse to start ({@code false}) when it does not.
 */
@Configuration(proxyBeanMethods = false)
class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    enum Mode {
        TRUE, FALSE, WAIT
    }

    /**
     * @param migrate {@code true} (default, one instance or one server): migrate on start; {@code wait}: wait up
     *                to {@code migrateWait} for another instance to have migrated; {@code false}: never migrate,
     *                refuse to start on an older schema
     */
    @ConfigurationProperties("patrol.database")
    record MigrationProperties(@DefaultValue("true") Mode migrate, @DefaultValue("5m") Duration migrateWait) {
    }

    @Bean
    FlywayMigrationStrategy patrolMigrationStrategy(MigrationProperties properties) {
        return flyway -> {
            switch (properties.migrate()) {
                case TRUE -> flyway.migrate();
                case FALSE -> requireMigrated(flyway);
                case WAIT -> waitForMigrated(flyway, properties.migrateWait());
            }
        };
    }

    private static void waitForMigrated(Flyway flyway, Duration atMost) {
        Instant deadline = Instant.now().plus(atMost);
        int pending = pending(flyway);
        if (pending > 0) {
            log.info("Waiting up to {} for another instance to apply {} migration(s) (patrol.database.migrate=wait)",
                    atMost, pending);
        }
        while (pending > 0 && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pending = pending(flyway);
        }
        requireMigrated(flyway);
    }

    private static void requireMigrated(Flyway flyway) {
        int pending = pending(flyway);
        if (pending > 0) {
            throw new CannotStart("The database schema lacks " + pending + " migration(s) and this instance does not "
                    + "migrate (patrol.database.migrate): start one instance with patrol.database.migrate=true first.");
        }
        flyway.validate();
    }

    private static int pending(Flyway flyway) {
        return flyway.info().pending().length;
    }
}
