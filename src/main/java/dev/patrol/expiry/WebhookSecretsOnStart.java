package dev.patrol.expiry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Encrypts plaintext webhook secrets on every start. Not a Flyway Java migration: migrations run once, while an
 * instance of the previous version may still write plaintext secrets during a rolling upgrade, and the key comes
 * from the application's configuration, which Flyway's migrations should not depend on. A null key id marks such a
 * row, so the step is cheap when there is nothing to do and safe when instances run it at once.
 */
@Component
@Order(0)
class WebhookSecretsOnStart implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(WebhookSecretsOnStart.class);

    private final WebhookService webhooks;

    WebhookSecretsOnStart(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void run(ApplicationArguments args) {
        int encrypted = webhooks.encryptPlaintextSecrets();
        if (encrypted > 0) {
            log.info("Encrypted {} webhook secret(s) stored in plain text", encrypted);
        }
    }
}
