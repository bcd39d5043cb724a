package dev.patrol.expiry;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.patrol.database.TransactionRetry;
import dev.patrol.expiry.ClaimRepository.Claim;
import dev.patrol.expiry.OutboxMessage.Channel;
import dev.patrol.expiry.RecipientResolver.Recipient;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.Project;
import dev.patrol.token.AccessToken;
import dev.patrol.token.ExpiryWebhook;
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The expiry notice jobs. Each run claims its (token, channel, threshold) notices and queues the e-mails and
 * webhook calls they cause in ONE transaction: a crash rolls both back and the next run does the work; a rerun,
 * or another instance running at the same time, finds the claims taken (the unique key decides) and queues
 * nothing twice. {@link OutboxSender} then delivers the queue.
 */
@Service
public class ExpiryNotifier {

    private static final Logger log = LoggerFactory.getLogger(ExpiryNotifier.class);
    private static final Set<TokenType> EMAIL_TYPES = TokenType.where(TokenType::expiryMails);
    private static final Set<TokenType> RESOURCE_HOOK_TYPES = webhookTypes(ExpiryWebhook.RESOURCE_ACCESS_TOKEN);
    private static final Set<TokenType> DEPLOY_HOOK_TYPES = webhookTypes(ExpiryWebhook.DEPLOY_TOKEN);
    private static final DateTimeFormatter GITLAB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private static Set<TokenType> webhookTypes(ExpiryWebhook hook) {
        return TokenType.where(t -> t.expiryWebhook() == hook);
    }

    /** What one run queued. */
    public record RunResult(int tokensNotified, int emails, int webhookCalls) {
    }

    private final ClaimRepository claims;
    private final TokenRepository tokens;
    private final OwnerRepository owners;
    private final WebhookRepository webhooks;
    private final RecipientResolver recipients;
    private final NotificationOutbox outbox;
    private final ExpiryProperties properties;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final TransactionRetry retry;
    private final Clock clock;

    ExpiryNotifier(ClaimRepository claims, TokenRepository tokens, OwnerRepository owners, WebhookRepository webhooks,
            RecipientResolver recipients, NotificationOutbox outbox, ExpiryProperties properties, JsonMapper json,
            PlatformTransactionManager transactions, TransactionRetry retry, Clock clock) {
        this.claims = claims;
        this.tokens = tokens;
        this.owners = owners;
        this.webhooks = webhooks;
        this.recipients = recipients;
        this.outbox = outbox;
        this.properties = properties;
        this.json = json;
        this.transaction = new TransactionTemplate(transactions);
        this.retry = retry;
        this.clock = clock;
    }

    /** The 01:00 UTC job: e-mails for tokens expiring in 60, 30 and 7 days, and the expiring-token webhooks. */
    public RunResult notifyExpiring(LocalDate today) {
        return withRetries(() -> run(today, properties.emailThresholds(), true));
    }

    /** The 02:00 UTC job: e-mails for tokens that expired today. */
    public RunResult notifyExpiredToday(LocalDate today) {
        return withRetries(() -> run(today, List.of(0), false));
    }

    /**
     * Another instance may claim some of the same notices first (a unique key or AUTO_INCREMENT lock conflict), or
     * the database may choose this run as a deadlock victim: everything rolled back, so running again claims only what
     * is left. Service-wide policy: {@link TransactionRetry}.
     */
    private RunResult withRetries(java.util.function.Supplier<RunResult> run) {
        return retry.run(() -> transaction.execute(status -> run.get()));
    }

    private RunResult run(LocalDate today, List<Integer> emailThresholds, boolean webhooksToo) {
        String runId = UUID.randomUUID().toString();
        LocalDateTime now = LocalDateTime.now(clock);
        for (int threshold : emailThresholds) {
            claims.claim(runId, Channel.EMAIL, threshold, today, EMAIL_TYPES, org.jooq.impl.DSL.noCondition(),
                    now);
        }
        if (webhooksToo) {
            Set<Integer> base = new HashSet<>(properties.webhookThresholds());
            for (int threshold : base) {
                claims.claim(runId, Channel.WEBHOOK, threshold, today, RESOURCE_HOOK_TYPES,
                        ClaimRepository.hasTokenWebhook(false), now);
            }
            for (int threshold : properties.webhookExtendedThresholds()) {
                if (!base.contains(threshold)) {
                    claims.claim(runId, Channel.WEBHOOK, threshold, today, RESOURCE_HOOK_TYPES,
                            ClaimRepository.hasTokenWebhook(true), now);
                }
            }
            for (int threshold : properties.deployTokenWebhookThresholds()) {
                claims.claim(runId, Channel.WEBHOOK, threshold, today, DEPLOY_HOOK_TYPES,
                        ClaimRepository.hasTokenWebhook(false), now);
            }
        }
        List<Claim> claimed = claims.claimsOf(runId);
        if (claimed.isEmpty()) {
            return new RunResult(0, 0, 0);
        }
        Map<Long, AccessToken> byId = tokens.findByIds(claimed.stream().map(Claim::tokenId).distinct().toList())
                .stream().collect(Collectors.toMap(AccessToken::id, Function.identity()));
        int emails = queueEmails(claimed.stream().filter(c -> c.channel() == Channel.EMAIL).toList(), byId,
                today);
        int calls = queueWebhooks(claimed.stream().filter(c -> c.channel() == Channel.WEBHOOK).toList(), byId);
        log.info("Expiry run {} for {}: {} notices, {} e-mails, {} webhook calls queued", runId, today,
                claimed.size(), emails, calls);
        return new RunResult(byId.size(), emails, calls);
    }

    private record Notice(AccessToken token, int thresholdDays) {
    }

    private int queueEmails(List<Claim> claimed, Map<Long, AccessToken> byId, LocalDate today) {
        if (claimed.isEmpty()) {
            return 0;
        }
        Map<Long, List<Recipient>> who = recipients.of(claimed.stream().map(c -> byId.get(c.tokenId())).toList());
        Map<Recipient, List<Notice>> perRecipient = new LinkedHashMap<>();
        for (Claim claim : claimed) {
            List<Recipient> people = who.getOrDefault(claim.tokenId(), List.of());
            if (people.isEmpty()) {
                log.info("Nobody to e-mail about expiring token {}", byId.get(claim.tokenId()).reference());
            }
            for (Recipient person : people) {
                perRecipient.computeIfAbsent(person, p -> new ArrayList<>())
                        .add(new Notice(byId.get(claim.tokenId()), claim.thresholdDays()));
            }
        }
        Places places = places(byId.values());
        perRecipient.forEach((person, notices) -> {
            notices.sort(Comparator.comparing((Notice n) -> n.token().expiresAt()).thenComparing(n -> n.token().id()));
            boolean expired = notices.stream().allMatch(n -> n.thresholdDays() == 0);
            outbox.enqueueMail(expired ? "token_expired" : "token_expiring", person.email(), person.userId(),
                    subject(notices, expired), body(person, notices, places, today));
        });
        return perRecipient.size();
    }

    private static String subject(List<Notice> notices, boolean expired) {
        if (notices.size() == 1) {
            AccessToken t = notices.getFirst().token();
            return expired ? "Your " + t.type().label() + " '" + t.name() + "' has expired"
                    : "Your " + t.type().label() + " '" + t.name() + "' expires on " + t.expiresAt();
        }
        return expired ? notices.size() + " of your access tokens have expired"
                : notices.size() + " of your access tokens expire soon";
    }

    private static String body(Recipient person, List<Notice> notices, Places places, LocalDate today) {
        StringBuilder text = new StringBuilder("Hi ").append(person.username()).append(",\n\n");
        text.append(notices.size() == 1 ? "This access token" : "These access tokens")
                .append(" you own or manage need your attention:\n\n");
        for (Notice n : notices) {
            AccessToken t = n.token();
            text.append("- ").append(t.name()).append(" (").append(t.type().label());
            String place = places.of(t);
            if (place != null) {
                text.append(" of ").append(place);
            }
            text.append(", ").append(t.reference()).append(")\n  ");
            if (n.thresholdDays() == 0) {
                text.append("expired on ").append(t.expiresAt());
            } else {
                text.append("expires on ").append(t.expiresAt()).append(", in ")
                        .append(t.expiresAt().toEpochDay() - today.toEpochDay()).append(" days");
            }
            text.append(t.scopes().isEmpty() ? "" : "; scopes: " + t.scopes().stream()
                    .map(dev.patrol.token.Scope::id).collect(Collectors.joining(", "))).append('\n');
        }
        boolean expired = notices.stream().allMatch(n -> n.thresholdDays() == 0);
        text.append('\n');
        if (expired) {
            text.append("Requests made with an expired token are refused. If it is still needed, create a new "
                    + "token with the same scopes and replace the old value wherever it is used.\n");
        } else {
            text.append("What to do:\n")
                    .append("- Still needed: rotate it (you get a new value with the same scopes; the old one stops "
                            + "working) or extend its expiry date.\n")
                    .append("- No longer needed: do nothing and let it expire, or revoke it now.\n");
        }
        return text.append("\n-- \nPatrol access token notifications\n").toString();
    }

    private int queueWebhooks(List<Claim> claimed, Map<Long, AccessToken> byId) {
        if (claimed.isEmpty()) {
            return 0;
        }
        List<AccessToken> notified = claimed.stream().map(c -> byId.get(c.tokenId())).toList();
        Places places = places(notified);
        List<Webhook> hooks = webhooks.tokenEventHooks(places.projects().keySet(), places.groups().keySet());
        Set<Integer> base = new HashSet<>(properties.webhookThresholds());
        int calls = 0;
        for (Claim claim : claimed) {
            AccessToken t = byId.get(claim.tokenId());
            // only the resource access token hook has opt-in extended thresholds; deploy hooks have their own list
            boolean extendedOnly = t.type().expiryWebhook() == ExpiryWebhook.RESOURCE_ACCESS_TOKEN
                    && !base.contains(claim.thresholdDays());
            for (Webhook hook : hooks) {
                boolean mine = t.projectId() != null ? t.projectId().equals(hook.projectId())
                        : t.groupId() != null && t.groupId().equals(hook.groupId());
                if (mine && (!extendedOnly || hook.extendedExpiryThresholds())) {
                    outbox.enqueueWebhook("expiring_access_token", hook, payload(t, places));
                    calls++;
                }
            }
        }
        return calls;
    }

    /** GitLab's "Resource Access Token Hook" payload. */
    private String payload(AccessToken t, Places places) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object_kind", "access_token");
        if (t.projectId() != null) {
            Project p = places.projects().get(t.projectId());
            Map<String, Object> project = new LinkedHashMap<>();
            project.put("id", p.id());
            project.put("name", p.name());
            project.put("path", p.path());
            project.put("path_with_namespace", p.fullPath());
            body.put("project", project);
        } else {
            Group g = places.groups().get(t.groupId());
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("group_id", g.id());
            group.put("group_name", g.name());
            group.put("group_path", g.path());
            group.put("full_path", g.fullPath());
            body.put("group", group);
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("user_id", t.userId());
        attributes.put("created_at", GITLAB_TIME.format(t.createdAt()));
        attributes.put("id", t.id());
        attributes.put("name", t.name());
        attributes.put("expires_at", t.expiresAt().toString());
        body.put("object_attributes", attributes);
        body.put("event_name", "expiring_access_token");
        return json.writeValueAsString(body);
    }

    /** The projects and groups a set of tokens belongs to, loaded with two statements. */
    private record Places(Map<Long, Project> projects, Map<Long, Group> groups) {

        String of(AccessToken t) {
            if (t.projectId() != null && projects.containsKey(t.projectId())) {
                return "project " + projects.get(t.projectId()).fullPath();
            }
            if (t.groupId() != null && groups.containsKey(t.groupId())) {
                return "group " + groups.get(t.groupId()).fullPath();
            }
            return null;
        }
    }

    private Places places(java.util.Collection<AccessToken> list) {
        Set<Long> projectIds = list.stream().map(AccessToken::projectId).filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        Set<Long> groupIds = list.stream().filter(t -> t.projectId() == null).map(AccessToken::groupId)
                .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        return new Places(projectIds.isEmpty() ? Map.of() : owners.projectsById(projectIds),
                groupIds.isEmpty() ? Map.of() : owners.groupsById(groupIds));
    }
}
