package dev.patrol.console;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

import dev.patrol.audit.AuditService;
import dev.patrol.expiry.WebhookService;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.OwnerService;
import dev.patrol.settings.SettingsService;
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenService;

/** The services a console session works through: the same ones the API uses, so rules and audit apply. */
@Component
record ConsoleServices(
        TokenService tokens,
        TokenRepository tokenRepository,
        OwnerService owners,
        OwnerRepository ownerRepository,
        SettingsService settings,
        AuditService audit,
        DSLContext dsl,
        PlatformTransactionManager transactionManager,
        InventoryGenerator generator,
        WebhookService webhooks) {
}
