package dev.patrol.expiry;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.shared.Caller;
import dev.patrol.shared.Connection;
import dev.patrol.shared.ErrorCode;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.PatrolException;

/** Serves notificationOutbox, webhooks, webhookDeliveries, notificationSettings and their mutations. */
@Controller
class NotificationController {

    private final NotificationOutbox outbox;
    private final WebhookService webhooks;
    private final NotificationSettingsService settings;

    NotificationController(NotificationOutbox outbox, WebhookService webhooks, NotificationSettingsService settings) {
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.settings = settings;
    }

    record WebhookView(String id, String url, String projectId, String groupId, boolean hasSecretToken,
            boolean resourceAccessTokenEvents, boolean extendedExpiryThresholds, OffsetDateTime createdAt) {

        static WebhookView of(Webhook w) {
            return w == null ? null : new WebhookView(GlobalId.of("Webhook", w.id()), w.url(),
                    w.projectId() == null ? null : GlobalId.of("Project", w.projectId()),
                    w.groupId() == null ? null : GlobalId.of("Group", w.groupId()), w.hasSecret(),
                    w.resourceAccessTokenEvents(), w.extendedExpiryThresholds(), utc(w.createdAt()));
        }
    }

    record MessageView(String id, String channel, String kind, String recipient, String webhookId, String subject,
            String body, String state, int attempts, OffsetDateTime nextAttemptAt, String lastError,
            Integer responseStatus, OffsetDateTime createdAt, OffsetDateTime deliveredAt) {

        static MessageView of(OutboxMessage m) {
            return new MessageView(GlobalId.of("NotificationMessage", m.id()), m.channel().name(), m.kind(),
                    m.recipient(), m.webhookId() == null ? null : GlobalId.of("Webhook", m.webhookId()), m.subject(),
                    m.body(), m.state().name(), m.attempts(), utc(m.nextAttemptAt()), m.lastError(),
                    m.responseStatus(), utc(m.createdAt()), utc(m.deliveredAt()));
        }
    }

    record SettingsView(boolean allowLocalWebhooks) {
    }

    record WebhookPayload(WebhookView webhook, List<String> errors) {
    }

    record SettingsPayload(SettingsView notificationSettings, List<String> errors) {
    }

    record WebhookCreateInput(String projectPath, String groupPath, String url, String secretToken,
            Boolean resourceAccessTokenEvents, Boolean extendedExpiryThresholds) {
    }

    @QueryMapping
    Connection<MessageView> notificationOutbox(@ContextValue Caller caller, @Argument Integer first,
            @Argument String after) {
        return views(outbox.page(caller.actor(), first, after));
    }

    @QueryMapping
    List<WebhookView> webhooks(@ContextValue Caller caller, @Argument String projectPath, @Argument String groupPath) {
        return webhooks.list(caller.actor(), projectPath, groupPath).stream().map(WebhookView::of).toList();
    }

    @QueryMapping
    Connection<MessageView> webhookDeliveries(@ContextValue Caller caller, @Argument String webhookId,
            @Argument Integer first, @Argument String after) {
        return views(webhooks.deliveries(caller.actor(), GlobalId.parse(webhookId, "Webhook"), first, after));
    }

    @QueryMapping
    SettingsView notificationSettings(@ContextValue Caller caller) {
        caller.requireAdmin();
        return new SettingsView(settings.allowLocalWebhooks());
    }

    @MutationMapping
    WebhookPayload webhookCreate(@ContextValue Caller caller, @Argument WebhookCreateInput input) {
        return inputErrors(() -> new WebhookPayload(WebhookView.of(webhooks.create(caller.actor(),
                new WebhookService.NewWebhook(input.projectPath(), input.groupPath(), input.url(), input.secretToken(),
                        input.resourceAccessTokenEvents(), input.extendedExpiryThresholds()))), List.of()),
                errors -> new WebhookPayload(null, errors));
    }

    @MutationMapping
    WebhookPayload webhookDelete(@ContextValue Caller caller, @Argument("input") java.util.Map<String, Object> input) {
        return inputErrors(() -> new WebhookPayload(WebhookView.of(webhooks.delete(caller.actor(),
                GlobalId.parse((String) input.get("id"), "Webhook"))), List.of()),
                errors -> new WebhookPayload(null, errors));
    }

    @MutationMapping
    SettingsPayload notificationSettingsUpdate(@ContextValue Caller caller,
            @Argument("input") java.util.Map<String, Object> input) {
        boolean allow = (Boolean) input.get("allowLocalWebhooks");
        return new SettingsPayload(new SettingsView(settings.setAllowLocalWebhooks(caller.actor(), allow)), List.of());
    }

    /** Bad input becomes the payload's errors; missing permissions and unknown ids stay GraphQL errors. */
    private static <T> T inputErrors(Supplier<T> action, java.util.function.Function<List<String>, T> onError) {
        try {
            return action.get();
        } catch (PatrolException e) {
            if (e.code() == ErrorCode.BAD_USER_INPUT || e.code() == ErrorCode.CONFLICT) {
                return onError.apply(List.of(e.getMessage()));
            }
            throw e;
        }
    }

    private static Connection<MessageView> views(Connection<OutboxMessage> page) {
        return new Connection<>(page.edges().stream()
                .map(e -> new Connection.Edge<>(e.cursor(), MessageView.of(e.node()))).toList(), page.pageInfo(),
                page.count());
    }

    private static OffsetDateTime utc(LocalDateTime time) {
        return time == null ? null : time.atOffset(ZoneOffset.UTC);
    }
}
