package dev.patrol.owner;

import java.time.LocalDate;
import java.time.LocalDateTime;

/** An SSH public key of a user, identified by its SHA256 fingerprint. */
public record SshKey(long id, long userId, String title, String keyType, String fingerprint, LocalDateTime createdAt,
        LocalDate expiresAt, LocalDateTime lastUsedAt) {
}
