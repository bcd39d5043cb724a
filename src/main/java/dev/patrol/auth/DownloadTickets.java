package dev.patrol.auth;

import static patrol.jooq.Tables.DOWNLOAD_TICKETS;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.shared.Caller;

/**
 * Short-lived, single-use download tickets: a browser that follows a plain link (the web front end's export) cannot
 * send the token header, so the API hands the token's holder a ticket that one GET may present within
 * {@link #LIFETIME}. The ticket is a secret: only its SHA-256 digest is stored, it is never logged, and redeeming
 * marks it used in the same statement that finds it, so two requests cannot both use it.
 */
@Service
public class DownloadTickets {

    static final Duration LIFETIME = Duration.ofSeconds(60);
    /** The query parameter that carries a ticket. */
    static final String PARAMETER = "ticket";
    /** Used and expired tickets are purged once they are this old. */
    private static final Duration KEPT = Duration.ofDays(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DSLContext dsl;
    private final AuditService audit;
    private final Clock clock;

    DownloadTickets(DSLContext dsl, AuditService audit, Clock clock) {
        this.dsl = dsl;
        this.audit = audit;
        this.clock = clock;
    }

    /** A ticket standing for the caller's token; returned once, stored as a digest. */
    public record Issued(String ticket, LocalDateTime expiresAt) {
    }

    @Transactional
    public Issued issue(Caller caller) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String ticket = "pdt-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        LocalDateTime now = now();
        LocalDateTime expiresAt = now.plus(LIFETIME);
        dsl.deleteFrom(DOWNLOAD_TICKETS).where(DOWNLOAD_TICKETS.EXPIRES_AT.lt(now.minus(KEPT))).execute();
        dsl.insertInto(DOWNLOAD_TICKETS)
                .set(DOWNLOAD_TICKETS.DIGEST, digest(ticket))
                .set(DOWNLOAD_TICKETS.TOKEN_ID, caller.tokenId())
                .set(DOWNLOAD_TICKETS.CREATED_AT, now)
                .set(DOWNLOAD_TICKETS.EXPIRES_AT, expiresAt)
                .execute();
        audit.record(caller.actor(), "download_ticket_issued",
                new AuditTarget("AccessToken", caller.tokenId(), null, null),
                Map.of("expires_at", expiresAt.toString(), "for", "inventory_export"));
        return new Issued(ticket, expiresAt);
    }

    /** The id of the token a valid, unused, unexpired ticket stands for; the ticket is used up by this call. */
    @Transactional
    Optional<Long> redeem(String ticket) {
        if (ticket == null || ticket.length() > 100) {
            return Optional.empty();
        }
        byte[] digest = digest(ticket);
        LocalDateTime now = now();
        int used = dsl.update(DOWNLOAD_TICKETS).set(DOWNLOAD_TICKETS.USED_AT, now)
                .where(DOWNLOAD_TICKETS.DIGEST.eq(digest))
                .and(DOWNLOAD_TICKETS.USED_AT.isNull())
                .and(DOWNLOAD_TICKETS.EXPIRES_AT.gt(now))
                .execute();
        if (used != 1) {
            return Optional.empty();
        }
        return dsl.select(DOWNLOAD_TICKETS.TOKEN_ID).from(DOWNLOAD_TICKETS).where(DOWNLOAD_TICKETS.DIGEST.eq(digest))
                .fetchOptional(DOWNLOAD_TICKETS.TOKEN_ID);
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock.withZone(ZoneOffset.UTC));
    }

    private static byte[] digest(String ticket) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
