package dev.patrol.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * An integration test against the whole application and a real database of its own (see {@link TestDatabase}),
 * an in-process SMTP server ({@link TestMailServer}), scheduled jobs off (tests run them directly),
 * keys for secrets at rest ({@link TestSecrets}),
 * with a {@link MutableClock} and {@link Fixtures} to build estates. Tests share the context, so they create
 * uniquely named data through {@link Fixtures} instead of relying on an empty database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.autoconfigure.exclude=org.springframework.shell.core.autoconfigure.SpringShellAutoConfiguration",
        "patrol.expiry.scheduling=false",
        "patrol.auth.changes.polling=false",
        "patrol.introspection.rate-limit=" + PatrolTest.INTROSPECTION_RATE_LIMIT,
        "patrol.data-dir=target/test-data",
        "patrol.secrets.keys." + TestSecrets.OLD_KEY_ID + "=" + TestSecrets.OLD_KEY,
        "patrol.secrets.keys." + TestSecrets.ACTIVE_KEY_ID + "=" + TestSecrets.ACTIVE_KEY,
        "patrol.secrets.active-key=" + TestSecrets.ACTIVE_KEY_ID})
@ContextConfiguration(initializers = {TestDatabase.class, TestMailServer.class})
@Import(TestConfig.class)
public @interface PatrolTest {

    /** Introspection requests a second per caller in tests; the clock stands still, so a caller has this many. */
    int INTROSPECTION_RATE_LIMIT = 60;
}
