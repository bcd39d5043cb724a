package dev.patrol.expiry;

import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.expiry.RecipientResolver.Recipient;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.token.AccessToken;

/**
 * E-mails owners about what administrators did to their credentials (GitLab mails the owner when a token is
 * revoked or an SSH key deleted from the credentials inventory). Call it inside the transaction that made the
 * change: the mail is queued in the outbox and sent only if that transaction commits.
 */
@Service
public class OwnerMailer {

    private final RecipientResolver recipients;
    private final OwnerRepository owners;
    private final NotificationOutbox outbox;

    OwnerMailer(RecipientResolver recipients, OwnerRepository owners, NotificationOutbox outbox) {
        this.recipients = recipients;
        this.owners = owners;
        this.outbox = outbox;
    }

    /** Tells the token's owners (see {@link RecipientResolver}) that it was revoked; returns the mails queued. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int credentialRevoked(Actor actor, AccessToken token) {
        List<Recipient> people = recipients.of(List.of(token)).getOrDefault(token.id(), List.of());
        for (Recipient person : people) {
            outbox.enqueueMail("credential_revoked", person.email(), person.userId(),
                    "Your " + token.type().label() + " '" + token.name() + "' was revoked",
                    "Hi " + person.username() + ",\n\nThe " + token.type().label() + " '" + token.name() + "' ("
                            + token.reference() + ") was revoked by " + actor.username()
                            + ". Requests made with it are now refused.\n\nIf it is still needed, create a new one.\n");
        }
        return people.size();
    }

    /** Tells an SSH key's user that an administrator deleted it; returns the mails queued (0 or 1). */
    @Transactional(propagation = Propagation.MANDATORY)
    public int sshKeyDeleted(Actor actor, long userId, String title, String fingerprint) {
        User user = owners.findUser(userId).orElse(null);
        if (user == null || user.email() == null) {
            return 0;
        }
        outbox.enqueueMail("ssh_key_deleted", user.email(), user.id(), "Your SSH key '" + title + "' was deleted",
                "Hi " + user.username() + ",\n\nYour SSH key '" + title + "'"
                        + (fingerprint == null || fingerprint.isBlank() ? "" : " (" + fingerprint + ")") + " was deleted by "
                        + actor.username() + ". It can no longer be used to access Git.\n");
        return 1;
    }
}
