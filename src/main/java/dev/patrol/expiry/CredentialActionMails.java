package dev.patrol.expiry;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.patrol.inventory.CredentialActionTaken;
import dev.patrol.token.TokenService;

/**
 * E-mails the owners of a credential revoked, rotated or deleted from the credentials inventory. It listens
 * synchronously, inside the publishing transaction, so the mail joins the outbox only if the change commits.
 */
@Component
class CredentialActionMails {

    private final OwnerMailer mailer;
    private final TokenService tokens;

    CredentialActionMails(OwnerMailer mailer, TokenService tokens) {
        this.mailer = mailer;
        this.tokens = tokens;
    }

    @EventListener
    void on(CredentialActionTaken event) {
        switch (event.action()) {
            case REVOKED, ROTATED -> mailer.credentialRevoked(event.actor(), tokens.token(event.credential().id()));
            case SSH_KEY_DELETED -> {
                if (event.ownerUserId() != null) {
                    mailer.sshKeyDeleted(event.actor(), event.ownerUserId(), event.credential().name(), null);
                }
            }
        }
    }
}
