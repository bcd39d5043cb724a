package dev.patrol.token;

import org.springframework.stereotype.Component;

import dev.patrol.shared.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts what {@link TokenService} changed, once the change commits: {@code patrol.tokens.issued},
 * {@code patrol.tokens.rotated} (rotations and resets), {@code patrol.tokens.revoked} (with the reason: revoked,
 * rotated, reset, reuse_detected, job_finished) and {@code patrol.token.reuse.detections}, each by token type.
 * Tags carry types and reasons only, never a value or an id.
 */
@Component
class TokenMetrics {

    private final MeterRegistry registry;

    TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void issued(TokenType type) {
        count(Counter.builder("patrol.tokens.issued").description("Tokens issued"), type, 1);
    }

    void renewed(TokenType type) {
        count(Counter.builder("patrol.tokens.rotated").description("Tokens rotated or reset")
                .tag("renewal", type.renewal().name().toLowerCase()), type, 1);
    }

    void revoked(TokenType type, String reason, int count) {
        count(Counter.builder("patrol.tokens.revoked").description("Tokens revoked").tag("reason", reason), type,
                count);
    }

    /** @param path {@code rotate_revoked} (a revoked id rotated) or {@code revoked_value_presented} */
    void reuseDetected(TokenType type, String path) {
        count(Counter.builder("patrol.token.reuse.detections")
                .description("Reuse of a revoked token detected (its family revoked)").tag("path", path), type, 1);
    }

    private void count(Counter.Builder counter, TokenType type, int amount) {
        if (amount <= 0) {
            return;
        }
        Counter meter = counter.tag("type", type.name().toLowerCase()).register(registry);
        AfterCommit.run(() -> meter.increment(amount));
    }
}
