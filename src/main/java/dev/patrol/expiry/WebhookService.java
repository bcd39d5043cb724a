package dev.patrol.expiry;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Permissions;
import dev.patrol.owner.Project;
import dev.patrol.secrets.SecretCipher;
import dev.patrol.shared.Actor;
import dev.patrol.shared.Connection;
import dev.patrol.shared.PatrolException;

/**
 * Project and group webhooks: project Maintainers and group Owners register and delete them; every change is
 * audited. URLs must not point at loopback, link-local or private addresses unless an administrator allows it.
 */
@Service
public class WebhookService {

    private final WebhookRepository webhooks;
    private final NotificationOutbox outbox;
    private final NotificationSettingsService settings;
    private final OwnerService owners;
    private final Permissions permissions;
    private final AuditService audit;
    private final Clock clock;
    private final SecretCipher cipher;

    WebhookService(WebhookRepository webhooks, NotificationOutbox outbox, NotificationSettingsService settings,
            OwnerService owners, Permissions permissions, AuditService audit, Clock clock, SecretCipher cipher) {
        this.webhooks = webhooks;
        this.outbox = outbox;
        this.settings = settings;
        this.owners = owners;
        this.permissions = permissions;
        this.audit = audit;
        this.clock = clock;
        this.cipher = cipher;
    }

    /** What a new webhook is for: exactly one of {@code projectPath} and {@code groupPath}. */
    public record NewWebhook(String projectPath, String groupPath, String url, String secretToken,
            Boolean resourceAccessTokenEvents, Boolean extendedExpiryThresholds) {
    }

    @Transactional
    public Webhook create(Actor actor, NewWebhook request) {
        AuditTarget target = requireManage(actor, request.projectPath(), request.groupPath());
        String url = validateUrl(request.url()).toString();
        String secret = request.secretToken() == null || request.secretToken().isEmpty() ? null : request.secretToken();
        if (secret != null && secret.length() > 255) {
            throw PatrolException.badInput("Secret token is too long (at most 255 characters).");
        }
        boolean projectHook = "Project".equals(target.type());
        long id = webhooks.insert(projectHook ? target.id() : null, projectHook ? null : target.id(), url, secret,
                request.resourceAccessTokenEvents() == null || request.resourceAccessTokenEvents(),
                Boolean.TRUE.equals(request.extendedExpiryThresholds()), actor.userId(), LocalDateTime.now(clock));
        Webhook webhook = webhooks.find(id).orElseThrow();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("webhook_id", id);
        details.put("url", url);
        audit.record(actor, "webhook_created", target, details);
        return webhook;
    }

    @Transactional
    public Webhook delete(Actor actor, long id) {
        Webhook webhook = webhook(actor, id);
        webhooks.delete(id);
        audit.record(actor, "webhook_deleted", targetOf(webhook), Map.of("webhook_id", id, "url", webhook.url()));
        return webhook;
    }

    @Transactional(readOnly = true)
    public List<Webhook> list(Actor actor, String projectPath, String groupPath) {
        AuditTarget target = requireManage(actor, projectPath, groupPath);
        return "Project".equals(target.type()) ? webhooks.ofProject(target.id()) : webhooks.ofGroup(target.id());
    }

    /**
     * Seals every webhook secret again under the active key, after a new key was added to every instance and made
     * active; then the old key can be removed. Administrators only (the console's {@code secrets-reencrypt}).
     */
    @Transactional
    public Reencrypted reencryptSecrets(Actor actor) {
        if (!actor.admin()) {
            throw PatrolException.forbidden("Only administrators can re-encrypt secrets.");
        }
        return new Reencrypted(reseal(actor, false, "webhook_secrets_reencrypted"), cipher.activeKeyId());
    }

    /** How many secrets were sealed again, and under which key. */
    public record Reencrypted(int webhookSecrets, String keyId) {
    }

    /**
     * Encrypts the secrets stored in plain text: those from before encryption at rest, and any an older instance
     * wrote during a rolling upgrade. Runs on every start (see {@link WebhookSecretsOnStart}).
     */
    @Transactional
    public int encryptPlaintextSecrets() {
        return reseal(Actor.system(), true, "webhook_secrets_encrypted");
    }

    private int reseal(Actor actor, boolean plaintextOnly, String action) {
        int count = 0;
        for (WebhookRepository.StoredSecret stored : webhooks.secretsNotUnder(cipher.activeKeyId(), plaintextOnly)) {
            if (webhooks.reseal(stored)) {
                count++;
            }
        }
        if (count > 0 || !plaintextOnly) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("webhooks", count);
            details.put("key_id", cipher.activeKeyId());
            audit.record(actor, action, new AuditTarget("Instance", null, "webhook secrets", null), details);
        }
        return count;
    }

    /** A webhook the actor may manage. */
    @Transactional(readOnly = true)
    public Webhook webhook(Actor actor, long id) {
        Webhook webhook = webhooks.find(id)
                .orElseThrow(() -> PatrolException.notFound("Webhook " + id + " does not exist."));
        if (webhook.projectId() != null) {
            requireRole(actor, owners.project(webhook.projectId()));
        } else {
            requireRole(actor, owners.group(webhook.groupId()));
        }
        return webhook;
    }

    /** The delivery log of one webhook, newest first. */
    @Transactional(readOnly = true)
    public Connection<OutboxMessage> deliveries(Actor actor, long webhookId, Integer first, String after) {
        webhook(actor, webhookId);
        return outbox.deliveryPage(webhookId, first, after);
    }

    /**
     * Checks a webhook URL: http or https, a host that resolves, and, unless allowed, no loopback, link-local,
     * private, carrier-grade NAT or multicast address. Called again before each delivery, because DNS answers
     * change.
     */
    public URI validateUrl(String value) {
        if (value == null || value.isBlank() || value.length() > 2000) {
            throw PatrolException.badInput("URL must be 1 to 2000 characters.");
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw PatrolException.badInput("URL is not valid.");
        }
        if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase())
                || uri.getHost() == null || uri.getUserInfo() != null) {
            throw PatrolException.badInput("URL must be an http or https address with a host and no credentials.");
        }
        if (settings.allowLocalWebhooks()) {
            return uri;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw PatrolException.badInput("The host '" + uri.getHost() + "' cannot be resolved.");
        }
        for (InetAddress address : addresses) {
            if (isLocal(address)) {
                throw PatrolException.badInput("Requests to the local network are not allowed: '" + uri.getHost()
                        + "' is a loopback, link-local or private address.");
            }
        }
        return uri;
    }

    private static boolean isLocal(InetAddress a) {
        byte[] b = a.getAddress();
        boolean uniqueLocalV6 = b.length == 16 && (b[0] & 0xfe) == 0xfc;
        boolean carrierGradeNat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        return a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress() || uniqueLocalV6 || carrierGradeNat;
    }

    private AuditTarget requireManage(Actor actor, String projectPath, String groupPath) {
        boolean project = projectPath != null && !projectPath.isBlank();
        boolean group = groupPath != null && !groupPath.isBlank();
        if (project == group) {
            throw PatrolException.badInput("Give either projectPath or groupPath.");
        }
        if (project) {
            Project p = owners.projectByPath(projectPath);
            requireRole(actor, p);
            return new AuditTarget("Project", p.id(), p.fullPath(), p.rootId());
        }
        Group g = owners.groupByPath(groupPath);
        requireRole(actor, g);
        return new AuditTarget("Group", g.id(), g.fullPath(), g.rootId());
    }

    private AuditTarget targetOf(Webhook webhook) {
        if (webhook.projectId() != null) {
            Project p = owners.project(webhook.projectId());
            return new AuditTarget("Project", p.id(), p.fullPath(), p.rootId());
        }
        Group g = owners.group(webhook.groupId());
        return new AuditTarget("Group", g.id(), g.fullPath(), g.rootId());
    }

    private void requireRole(Actor actor, Project project) {
        if (!permissions.hasRole(actor, project, AccessLevel.MAINTAINER)) {
            throw PatrolException.forbidden("You need at least the Maintainer role on '" + project.fullPath()
                    + "' to manage its webhooks.");
        }
    }

    private void requireRole(Actor actor, Group group) {
        if (!permissions.hasRole(actor, group, AccessLevel.OWNER)) {
            throw PatrolException.forbidden("You need the Owner role on '" + group.fullPath()
                    + "' to manage its webhooks.");
        }
    }
}
