package dev.patrol.expiry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

import dev.patrol.expiry.OutboxMessage.Channel;
import dev.patrol.shared.PatrolException;

/**
 * Delivers due outbox messages: e-mails through Spring's {@link JavaMailSender} (when {@code spring.mail.host} is
 * set; otherwise e-mails wait in the outbox) and webhook calls over HTTP. Each batch is leased with a conditional
 * update, so any number of instances can run this at once; a failed attempt is retried with exponential backoff
 * and its error recorded. Delivery is at least once: a sender that dies after sending but before recording
 * leaves a lease that expires, and the message goes again with the same {@code X-Patrol-Message-Id} /
 * {@code Idempotency-Key}, by which receivers can drop the repeat.
 */
@Component
public class OutboxSender {

    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
    private static final int BATCH = 20;
    private static final int MAX_BATCHES_PER_CALL = 500;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final OutboxRepository outbox;
    private final WebhookRepository webhooks;
    private final WebhookService webhookService;
    private final JavaMailSender mail;
    private final String from;
    private final ExpiryProperties properties;
    private final Clock clock;
    private final OutboxMetrics metrics;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(HTTP_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Autowired
    OutboxSender(OutboxRepository outbox, WebhookRepository webhooks, WebhookService webhookService,
            ObjectProvider<JavaMailSender> mail, @Value("${patrol.mail.from:patrol@localhost}") String from,
            ExpiryProperties properties, Clock clock, OutboxMetrics metrics) {
        this(outbox, webhooks, webhookService, mail.getIfAvailable(), from, properties, clock, metrics);
    }

    /** A sender with the given mail transport; null leaves e-mails in the outbox. */
    OutboxSender(OutboxRepository outbox, WebhookRepository webhooks, WebhookService webhookService,
            JavaMailSender mail, String from, ExpiryProperties properties, Clock clock, OutboxMetrics metrics) {
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.webhookService = webhookService;
        this.mail = mail;
        this.from = from;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Messages leased to one owner id until their lease runs out. */
    record Lease(String owner, List<OutboxMessage> messages) {
    }

    /** Delivers due messages until none is left (at most a bounded number of batches per call). */
    public int deliverDue() {
        int delivered = 0;
        for (int batches = 0; batches < MAX_BATCHES_PER_CALL; batches++) {
            Lease lease = lease();
            if (lease.messages().isEmpty()) {
                break;
            }
            for (OutboxMessage message : lease.messages()) {
                if (attempt(message, lease.owner())) {
                    delivered++;
                }
            }
        }
        return delivered;
    }

    /** Leases the next batch of due messages to a fresh owner id. */
    Lease lease() {
        String owner = UUID.randomUUID().toString();
        LocalDateTime now = LocalDateTime.now(clock);
        List<Channel> channels = new ArrayList<>(List.of(Channel.WEBHOOK));
        if (mail != null) {
            channels.add(Channel.EMAIL);
        }
        return new Lease(owner, outbox.lease(owner, channels, now, now.plus(properties.lease()), BATCH));
    }

    /** Sends one leased message and records the outcome; true when it was delivered. */
    boolean attempt(OutboxMessage message, String owner) {
        Outcome outcome = send(message);
        if (outcome.delivered()) {
            outbox.markSent(message.id(), owner, LocalDateTime.now(clock), outcome.status());
            metrics.sent(message);
            return true;
        }
        fail(message, owner, outcome.error(), outcome.status());
        return false;
    }

    /** The result of one delivery attempt; {@code status} is the webhook's HTTP status (null for e-mail). */
    record Outcome(boolean delivered, Integer status, String error) {
    }

    /** Sends without recording anything: {@link #attempt} records the outcome. */
    Outcome send(OutboxMessage message) {
        try {
            if (message.channel() == Channel.EMAIL) {
                sendMail(message);
                return new Outcome(true, null, null);
            }
            int status = callWebhook(message);
            return new Outcome(status / 100 == 2, status, status / 100 == 2 ? null : "HTTP " + status);
        } catch (MailException | PatrolException | java.io.IOException e) {
            return new Outcome(false, null, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, null, "interrupted");
        }
    }

    private void fail(OutboxMessage message, String owner, String error, Integer status) {
        int attempts = message.attempts() + 1;
        boolean giveUp = attempts >= properties.maxAttempts();
        LocalDateTime next = LocalDateTime.now(clock).plus(properties.backoff(attempts));
        outbox.markFailed(message.id(), owner, next, error.length() > 1000 ? error.substring(0, 1000) : error, status,
                giveUp);
        metrics.failed(message, giveUp);
        log.warn("Delivery of outbox message {} ({}) failed, attempt {}: {}{}", message.id(), message.channel(),
                attempts, error, giveUp ? "; giving up" : "");
    }

    private void sendMail(OutboxMessage message) {
        mail.send(mime -> {
            MimeMessageHelper helper = new MimeMessageHelper(mime, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(message.recipient());
            helper.setSubject(message.subject().replaceAll("[\\r\\n]+", " "));
            helper.setText(message.body());
            mime.setHeader("X-Patrol-Message-Id", messageKey(message));
        });
    }

    private int callWebhook(OutboxMessage message) throws java.io.IOException, InterruptedException {
        Webhook webhook = webhooks.find(message.webhookId())
                .orElseThrow(() -> PatrolException.notFound("The webhook was deleted."));
        URI uri = webhookService.validateUrl(webhook.url());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Patrol")
                .header("X-Gitlab-Event", "Resource Access Token Hook")
                .header("Idempotency-Key", messageKey(message))
                .POST(HttpRequest.BodyPublishers.ofString(message.body(), StandardCharsets.UTF_8));
        webhooks.secretOf(webhook.id()).ifPresent(secret -> request
                .header("X-Gitlab-Token", secret).header("X-Patrol-Token", secret));
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String messageKey(OutboxMessage message) {
        return "patrol-outbox-" + message.id();
    }

    private static String describe(Exception e) {
        String text = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return text.replaceAll("\\s+", " ");
    }
}
