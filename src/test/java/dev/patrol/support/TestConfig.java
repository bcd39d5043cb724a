package dev.patrol.support;

import java.time.Instant;

import org.jooq.impl.DefaultExecuteListenerProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

@TestConfiguration(proxyBeanMethods = false)
public class TestConfig {

    /** Tests start at a fixed time; each test that cares sets its own. */
    public static final Instant START = Instant.parse("2026-03-10T12:00:00Z");

    @Bean
    @Primary
    MutableClock testClock() {
        return new MutableClock(START);
    }

    /** Every write jOOQ runs in a test must come from the table's owning module (see {@link TableOwners}). */
    @Bean
    DefaultExecuteListenerProvider tableOwners() {
        return new DefaultExecuteListenerProvider(TableOwners.exceptTestCode());
    }

    /** Lets tests count the transaction commands of a request, not only its statements ({@link SqlRecorder}). */
    @Bean
    static ConnectionCommands connectionCommands() {
        return new ConnectionCommands();
    }

    @Bean
    Fixtures fixtures(dev.patrol.owner.OwnerService owners, dev.patrol.token.TokenService tokens,
            dev.patrol.owner.OwnerRepository ownerRepository) {
        return new Fixtures(owners, tokens, ownerRepository);
    }
}
