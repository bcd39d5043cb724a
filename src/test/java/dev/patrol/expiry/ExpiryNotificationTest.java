package dev.patrol.expiry;

import static dev.patrol.expiry.ExpiryFixtures.setDay;
import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.EXPIRY_NOTIFICATIONS;
import static patrol.jooq.Tables.NOTIFICATION_OUTBOX;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.NewUser;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestMailServer;
import dev.patrol.token.AccessToken;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenService;
import jakarta.mail.internet.MimeMessage;

@PatrolTest
class ExpiryNotificationTest {

    @Autowired ExpiryNotifier notifier;
    @Autowired OutboxSender sender;
    @Autowired OutboxRepository outboxRepository;
    @Autowired WebhookRepository webhookRepository;
    @Autowired WebhookService webhookService;
    @Autowired ExpiryProperties properties;
    @Autowired TokenService tokens;
    @Autowired OwnerService owners;
    @Autowired Fixtures fixtures;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;
    @Autowired PlatformTransactionManager transactions;
    @Autowired OwnerMailer ownerMailer;
    @Autowired OutboxMetrics outboxMetrics;

    @Test
    void eachOwnerGetsOneMailListingTheirTokensAtTheThresholds() throws Exception {
        LocalDate today = LocalDate.of(2031, 1, 10);
        setDay(clock, today, 1);
        User alice = fixtures.human();
        IssuedToken in7 = fixtures.pat(alice, today.plusDays(7), "api");
        IssuedToken in30 = fixtures.pat(alice, today.plusDays(30), "read_api");
        IssuedToken in8 = fixtures.pat(alice, today.plusDays(8), "api");
        IssuedToken revoked = fixtures.pat(alice, today.plusDays(60), "api");
        tokens.revoke(Actor.system(), revoked.token().id());

        Group top = fixtures.group();
        Group sub = fixtures.subgroup(top);
        Project project = fixtures.project(sub);
        User topOwner = fixtures.human();
        User projectMaintainer = fixtures.human();
        User developer = fixtures.human();
        User subMaintainer = fixtures.human();
        fixtures.member(topOwner, top, AccessLevel.OWNER);
        fixtures.member(projectMaintainer, project, AccessLevel.MAINTAINER);
        fixtures.member(developer, project, AccessLevel.DEVELOPER);
        fixtures.member(subMaintainer, sub, AccessLevel.MAINTAINER);
        IssuedToken projectToken = ExpiryFixtures.projectToken(tokens, project, today.plusDays(30));
        IssuedToken groupToken = ExpiryFixtures.groupToken(tokens, sub, today.plusDays(60));

        User silentAccount = fixtures.serviceAccount(top);
        IssuedToken silentAccountToken = fixtures.pat(silentAccount, today.plusDays(7), "api");
        String accountName = Fixtures.unique("sa-mail");
        User mailedAccount = owners.createUser(Actor.system(), new NewUser(accountName, accountName,
                accountName + "@example.com", UserKind.SERVICE_ACCOUNT, false, top.id()));
        IssuedToken mailedAccountToken = fixtures.pat(mailedAccount, today.plusDays(7), "api");

        notifier.notifyExpiring(today);
        sender.deliverDue();

        List<MimeMessage> toAlice = TestMailServer.messagesTo(alice.email());
        assertThat(toAlice).hasSize(1);
        assertThat(body(toAlice.getFirst())).contains(in7.token().name(), in30.token().name(), "rotate", "extend",
                "let it expire").doesNotContain(in8.token().name(), revoked.token().name());
        assertThat(toAlice.getFirst().getSubject()).isEqualTo("2 of your access tokens expire soon");

        assertThat(TestMailServer.messagesTo(projectMaintainer.email())).singleElement()
                .satisfies(m -> assertThat(body(m)).contains(projectToken.token().name(), project.fullPath())
                        .doesNotContain(groupToken.token().name()));
        List<MimeMessage> toOwner = TestMailServer.messagesTo(topOwner.email());
        assertThat(toOwner).hasSize(1);
        assertThat(body(toOwner.getFirst())).contains(projectToken.token().name(), groupToken.token().name(),
                silentAccountToken.token().name()).doesNotContain(mailedAccountToken.token().name());
        assertThat(TestMailServer.messagesTo(mailedAccount.email())).singleElement()
                .satisfies(m -> assertThat(body(m)).contains(mailedAccountToken.token().name()));
        assertThat(TestMailServer.messagesTo(developer.email())).isEmpty();
        // a Maintainer of the project's group inherits the project, but a group token needs Owners
        assertThat(TestMailServer.messagesTo(subMaintainer.email())).singleElement()
                .satisfies(m -> assertThat(body(m)).contains(projectToken.token().name())
                        .doesNotContain(groupToken.token().name()));

        // the same day again: nothing new
        notifier.notifyExpiring(today);
        sender.deliverDue();
        assertThat(TestMailServer.messagesTo(alice.email())).hasSize(1);
        assertThat(TestMailServer.messagesTo(topOwner.email())).hasSize(1);

        // the 8-day token reaches its 7-day threshold tomorrow
        setDay(clock, today.plusDays(1), 1);
        notifier.notifyExpiring(today.plusDays(1));
        sender.deliverDue();
        assertThat(TestMailServer.messagesTo(alice.email())).hasSize(2);
        assertThat(body(TestMailServer.messagesTo(alice.email()).get(1))).contains(in8.token().name())
                .doesNotContain(in7.token().name());
    }

    @Test
    void anExtendedTokenIsNotifiedAgainForItsNewDate() throws Exception {
        LocalDate today = LocalDate.of(2031, 2, 10);
        setDay(clock, today, 1);
        User user = fixtures.human();
        IssuedToken token = fixtures.pat(user, today.plusDays(7), "api");
        notifier.notifyExpiring(today);
        tokens.extendExpiry(Actor.system(), token.token().id(), today.plusDays(14));
        setDay(clock, today.plusDays(7), 1);
        notifier.notifyExpiring(today.plusDays(7));
        sender.deliverDue();

        assertThat(TestMailServer.messagesTo(user.email())).hasSize(2);
        assertThat(body(TestMailServer.messagesTo(user.email()).get(1))).contains(today.plusDays(14).toString());
    }

    @Test
    void theTwoOClockJobMailsTokensThatExpiredToday() throws Exception {
        LocalDate today = LocalDate.of(2031, 3, 10);
        setDay(clock, today.minusDays(10), 12);
        User user = fixtures.human();
        IssuedToken token = fixtures.pat(user, today, "api");
        setDay(clock, today, 2);

        notifier.notifyExpiredToday(today);
        notifier.notifyExpiredToday(today);
        sender.deliverDue();

        assertThat(TestMailServer.messagesTo(user.email())).singleElement().satisfies(m -> {
            assertThat(m.getSubject()).isEqualTo("Your personal access token '" + token.token().name()
                    + "' has expired");
            assertThat(body(m)).contains("expired on " + today);
        });
    }

    @Test
    void threeInstancesRunningAtOnceQueueEachNoticeOnce() throws Exception {
        LocalDate today = LocalDate.of(2031, 4, 10);
        setDay(clock, today, 1);
        List<User> users = new ArrayList<>();
        List<Long> tokenIds = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            User user = fixtures.human();
            users.add(user);
            tokenIds.add(fixtures.pat(user, today.plusDays(i % 2 == 0 ? 7 : 30), "api").token().id());
        }

        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ExpiryNotifier.RunResult>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Callable<ExpiryNotifier.RunResult> run = () -> {
                start.await();
                return notifier.notifyExpiring(today);
            };
            runs.add(pool.submit(run));
        }
        start.countDown();
        for (Future<ExpiryNotifier.RunResult> run : runs) {
            run.get();
        }
        pool.shutdown();

        assertThat(dsl.fetchCount(EXPIRY_NOTIFICATIONS, EXPIRY_NOTIFICATIONS.TOKEN_ID.in(tokenIds))).isEqualTo(15);
        assertThat(dsl.fetchCount(NOTIFICATION_OUTBOX,
                NOTIFICATION_OUTBOX.USER_ID.in(users.stream().map(User::id).toList()))).isEqualTo(15);
        sender.deliverDue();
        for (User user : users) {
            assertThat(TestMailServer.messagesTo(user.email())).hasSize(1);
        }
    }

    @Test
    void threeSendersAtOnceDeliverEachMessageOnce() throws Exception {
        LocalDate today = LocalDate.of(2031, 4, 20);
        setDay(clock, today, 1);
        List<User> users = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            User user = fixtures.human();
            users.add(user);
            fixtures.pat(user, today.plusDays(7), "api");
        }
        notifier.notifyExpiring(today);

        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> senders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            senders.add(pool.submit(() -> {
                start.await();
                return sender.deliverDue();
            }));
        }
        start.countDown();
        int delivered = 0;
        for (Future<Integer> run : senders) {
            delivered += run.get();
        }
        pool.shutdown();

        assertThat(delivered).isGreaterThanOrEqualTo(45);
        for (User user : users) {
            assertThat(TestMailServer.messagesTo(user.email())).hasSize(1);
        }
    }

    @Test
    void aCrashBeforeCommitLeavesNoTraceAndTheRerunNotifiesOnce() throws Exception {
        LocalDate today = LocalDate.of(2031, 5, 10);
        setDay(clock, today, 1);
        User user = fixtures.human();
        long tokenId = fixtures.pat(user, today.plusDays(7), "api").token().id();

        TransactionTemplate crashing = new TransactionTemplate(transactions);
        try {
            crashing.executeWithoutResult(status -> {
                notifier.notifyExpiring(today);
                assertThat(dsl.fetchCount(EXPIRY_NOTIFICATIONS, EXPIRY_NOTIFICATIONS.TOKEN_ID.eq(tokenId))).isOne();
                throw new IllegalStateException("the process dies here");
            });
        } catch (IllegalStateException expected) {
            // the crash
        }
        assertThat(dsl.fetchCount(EXPIRY_NOTIFICATIONS, EXPIRY_NOTIFICATIONS.TOKEN_ID.eq(tokenId))).isZero();
        assertThat(dsl.fetchCount(NOTIFICATION_OUTBOX, NOTIFICATION_OUTBOX.USER_ID.eq(user.id()))).isZero();

        notifier.notifyExpiring(today);
        sender.deliverDue();
        assertThat(TestMailServer.messagesTo(user.email())).hasSize(1);
    }

    @Test
    void aSenderThatDiesAfterSendingLosesNothingAndTheRepeatCarriesTheSameKey() throws Exception {
        LocalDate today = LocalDate.of(2031, 6, 10);
        setDay(clock, today, 1);
        User user = fixtures.human();
        fixtures.pat(user, today.plusDays(7), "api");
        notifier.notifyExpiring(today);

        OutboxSender.Lease lease = sender.lease();
        OutboxMessage mine = lease.messages().stream().filter(m -> user.id() == nullToZero(m.userId())).findFirst()
                .orElseThrow();
        assertThat(sender.send(mine).delivered()).isTrue();
        // ... and the sender dies before recording: another sender cannot take the row while the lease holds
        assertThat(sender.deliverDue()).isGreaterThanOrEqualTo(0);
        assertThat(TestMailServer.messagesTo(user.email())).hasSize(1);
        assertThat(outboxRepository.findByIds(List.of(mine.id())).getFirst().state())
                .isEqualTo(OutboxMessage.DeliveryState.PENDING);

        clock.advance(properties.lease().plusSeconds(1));
        sender.deliverDue();
        List<MimeMessage> received = TestMailServer.messagesTo(user.email());
        assertThat(received).hasSize(2);
        assertThat(received.get(0).getHeader("X-Patrol-Message-Id"))
                .isEqualTo(received.get(1).getHeader("X-Patrol-Message-Id"));
        assertThat(outboxRepository.findByIds(List.of(mine.id())).getFirst().state())
                .isEqualTo(OutboxMessage.DeliveryState.SENT);
    }

    @Test
    void whenTheMailServerIsDownDeliveryBacksOffAndRetries() throws Exception {
        LocalDate today = LocalDate.of(2031, 7, 10);
        setDay(clock, today, 1);
        User user = fixtures.human();
        fixtures.pat(user, today.plusDays(7), "api");
        notifier.notifyExpiring(today);
        long id = dsl.select(NOTIFICATION_OUTBOX.ID).from(NOTIFICATION_OUTBOX)
                .where(NOTIFICATION_OUTBOX.USER_ID.eq(user.id())).fetchSingle(NOTIFICATION_OUTBOX.ID);
        OutboxSender down = new OutboxSender(outboxRepository, webhookRepository, webhookService, deadMailServer(),
                "patrol@example.com", properties, clock, outboxMetrics);

        down.deliverDue();
        OutboxMessage afterOne = outboxRepository.findByIds(List.of(id)).getFirst();
        assertThat(afterOne.state()).isEqualTo(OutboxMessage.DeliveryState.PENDING);
        assertThat(afterOne.attempts()).isEqualTo(1);
        assertThat(afterOne.lastError()).isNotBlank();
        assertThat(afterOne.nextAttemptAt()).isEqualTo(LocalDateTime.now(clock).plus(properties.initialBackoff()));

        down.deliverDue();
        assertThat(outboxRepository.findByIds(List.of(id)).getFirst().attempts()).isEqualTo(1);

        clock.advance(properties.initialBackoff());
        down.deliverDue();
        OutboxMessage afterTwo = outboxRepository.findByIds(List.of(id)).getFirst();
        assertThat(afterTwo.attempts()).isEqualTo(2);
        assertThat(afterTwo.nextAttemptAt())
                .isEqualTo(LocalDateTime.now(clock).plus(properties.initialBackoff().multipliedBy(2)));

        clock.advance(Duration.ofMinutes(2));
        sender.deliverDue();
        OutboxMessage sent = outboxRepository.findByIds(List.of(id)).getFirst();
        assertThat(sent.state()).isEqualTo(OutboxMessage.DeliveryState.SENT);
        assertThat(sent.attempts()).isEqualTo(3);
        assertThat(TestMailServer.messagesTo(user.email())).hasSize(1);
    }

    @Test
    void deliveryGivesUpAfterTheMaximumNumberOfAttempts() throws Exception {
        LocalDate today = LocalDate.of(2031, 7, 20);
        setDay(clock, today, 1);
        User user = fixtures.human();
        fixtures.pat(user, today.plusDays(7), "api");
        notifier.notifyExpiring(today);
        long id = dsl.select(NOTIFICATION_OUTBOX.ID).from(NOTIFICATION_OUTBOX)
                .where(NOTIFICATION_OUTBOX.USER_ID.eq(user.id())).fetchSingle(NOTIFICATION_OUTBOX.ID);
        OutboxSender down = new OutboxSender(outboxRepository, webhookRepository, webhookService, deadMailServer(),
                "patrol@example.com", properties, clock, outboxMetrics);

        for (int attempt = 1; attempt <= properties.maxAttempts(); attempt++) {
            down.deliverDue();
            clock.advance(properties.maxBackoff());
        }
        OutboxMessage failed = outboxRepository.findByIds(List.of(id)).getFirst();
        assertThat(failed.state()).isEqualTo(OutboxMessage.DeliveryState.FAILED);
        assertThat(failed.attempts()).isEqualTo(properties.maxAttempts());
        sender.deliverDue();
        assertThat(outboxRepository.findByIds(List.of(id)).getFirst().attempts()).isEqualTo(properties.maxAttempts());
        assertThat(TestMailServer.messagesTo(user.email())).isEmpty();
    }

    @Test
    void withoutAMailServerMessagesWaitInTheOutbox() {
        LocalDate today = LocalDate.of(2031, 8, 10);
        setDay(clock, today, 1);
        User user = fixtures.human();
        fixtures.pat(user, today.plusDays(7), "api");
        notifier.notifyExpiring(today);
        OutboxSender noMail = new OutboxSender(outboxRepository, webhookRepository, webhookService,
                (JavaMailSender) null, "patrol@example.com", properties, clock, outboxMetrics);

        noMail.deliverDue();

        OutboxMessage waiting = outboxRepository.page(null, null, 100).stream()
                .filter(m -> m.userId() != null && m.userId() == user.id()).findFirst().orElseThrow();
        assertThat(waiting.state()).isEqualTo(OutboxMessage.DeliveryState.PENDING);
        assertThat(waiting.attempts()).isZero();
        assertThat(waiting.recipient()).isEqualTo(user.email());
        assertThat(TestMailServer.messagesTo(user.email())).isEmpty();
    }

    @Test
    void theOwnerMailerQueuesARevocationMailInTheCallersTransaction() throws Exception {
        setDay(clock, LocalDate.of(2031, 9, 10), 12);
        User user = fixtures.human();
        AccessToken token = fixtures.pat(user, "api").token();
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            tokens.revoke(Actor.system(), token.id());
            assertThat(ownerMailer.credentialRevoked(Actor.system(), token)).isOne();
        });
        sender.deliverDue();
        assertThat(TestMailServer.messagesTo(user.email())).singleElement()
                .satisfies(m -> assertThat(m.getSubject()).contains("was revoked"));
    }

    private static long nullToZero(Long value) {
        return value == null ? 0 : value;
    }

    private static String body(MimeMessage message) {
        try {
            return message.getContent().toString();
        } catch (IOException | jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JavaMailSenderImpl deadMailServer() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        JavaMailSenderImpl mail = new JavaMailSenderImpl();
        mail.setHost("127.0.0.1");
        mail.setPort(port);
        return mail;
    }
}
