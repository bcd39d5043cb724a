package dev.patrol.owner;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.shared.Actor;
import dev.patrol.shared.PatrolException;

/**
 * Adds and deletes users' SSH public keys: parses the OpenSSH format, checks that the key's blob says the same
 * type as its label, refuses RSA keys under 2048 bits, fingerprints with SHA-256 as {@code ssh-keygen -l} does,
 * and audits every change. Users manage their own keys; admins anyone's.
 */
@Service
public class SshKeyService {

    static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");
    private static final int MIN_RSA_BITS = 2048;

    private final SshKeyRepository keys;
    private final OwnerService owners;
    private final Permissions permissions;
    private final AuditService audit;
    private final Clock clock;

    public SshKeyService(SshKeyRepository keys, OwnerService owners, Permissions permissions, AuditService audit,
            Clock clock) {
        this.permissions = permissions;
        this.keys = keys;
        this.owners = owners;
        this.audit = audit;
        this.clock = clock;
    }

    /** A parsed public key: its type, the normalized "type base64" text and its SHA256 fingerprint. */
    record ParsedKey(String type, String text, String fingerprint) {
    }

    @Transactional
    public SshKey add(Actor actor, long userId, String title, String publicKey, LocalDate expiresAt) {
        User user = owners.user(userId);
        requireSelfOrAdmin(actor, userId);
        if (title == null || title.isBlank() || title.strip().length() > 255) {
            throw PatrolException.badInput("Title must be 1 to 255 characters.");
        }
        if (expiresAt != null && !expiresAt.isAfter(LocalDate.now(clock.withZone(ZoneOffset.UTC)))) {
            throw PatrolException.badInput("Expiration date must be in the future.");
        }
        ParsedKey parsed = parse(publicKey);
        if (keys.fingerprintExists(parsed.fingerprint())) {
            throw PatrolException.conflict("This key (" + parsed.fingerprint() + ") has already been added.");
        }
        long id = keys.insert(userId, title.strip(), parsed.text(), parsed.fingerprint(), LocalDateTime.now(clock),
                expiresAt);
        SshKey key = keys.find(id).orElseThrow();
        audit.record(actor, "ssh_key_added", target(key, user),
                Map.of("user", user.username(), "fingerprint", key.fingerprint()));
        return key;
    }

    @Transactional
    public SshKey delete(Actor actor, long keyId) {
        SshKey key = keys.find(keyId)
                .orElseThrow(() -> PatrolException.notFound("SSH key " + keyId + " does not exist."));
        User user = owners.user(key.userId());
        boolean enterpriseOwner = user.enterpriseGroupId() != null
                && permissions.hasRole(actor, owners.group(user.enterpriseGroupId()), AccessLevel.OWNER);
        if (!enterpriseOwner) {
            requireSelfOrAdmin(actor, key.userId());
        }
        if (!keys.delete(keyId)) {
            throw PatrolException.conflict("This SSH key was deleted by a concurrent request.");
        }
        audit.record(actor, "ssh_key_deleted", target(key, user),
                Map.of("user", user.username(), "fingerprint", key.fingerprint()));
        return key;
    }

    /** Keys per user id, for a page of users in one statement. */
    @Transactional(readOnly = true)
    public Map<Long, List<SshKey>> keysOf(Collection<Long> userIds) {
        return userIds.isEmpty() ? Map.of() : keys.byUsers(userIds);
    }

    static ParsedKey parse(String publicKey) {
        String[] parts = publicKey == null ? new String[0] : publicKey.strip().split("\\s+", 3);
        if (parts.length < 2 || !TYPES.contains(parts[0])) {
            throw PatrolException.badInput("The key is not an OpenSSH public key: expected '<type> <base64> [comment]' "
                    + "with a type of " + TYPES.stream().sorted().toList() + ".");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob));
            String embedded = new String(readString(in), StandardCharsets.US_ASCII);
            if (!embedded.equals(parts[0])) {
                throw PatrolException.badInput("The key's data is of type '" + embedded + "', not '" + parts[0] + "'.");
            }
            switch (parts[0]) {
                case "ssh-rsa" -> {
                    readString(in);
                    int bits = new BigInteger(readString(in)).bitLength();
                    if (bits < MIN_RSA_BITS) {
                        throw PatrolException.badInput("RSA keys must have at least " + MIN_RSA_BITS
                                + " bits; this one has " + bits + ".");
                    }
                }
                case "ssh-ed25519" -> {
                    if (readString(in).length != 32) {
                        throw new IOException("bad ed25519 key");
                    }
                }
                case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> {
                    readString(in);
                    readString(in);
                }
                default -> in.skipBytes(in.available());
            }
            if (in.available() != 0) {
                throw new IOException("trailing data");
            }
        } catch (IllegalArgumentException | IOException e) {
            throw PatrolException.badInput("The key's base64 data is damaged or truncated.");
        }
        return new ParsedKey(parts[0], parts[0] + " " + parts[1], "SHA256:"
                + Base64.getEncoder().withoutPadding().encodeToString(sha256(blob)));
    }

    private static byte[] readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("bad length");
        }
        return in.readNBytes(length);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireSelfOrAdmin(Actor actor, long userId) {
        if (!actor.admin() && !actor.isUser(userId)) {
            throw PatrolException.forbidden("You can only manage your own SSH keys.");
        }
    }

    private static AuditTarget target(SshKey key, User user) {
        return new AuditTarget("SshKey", key.id(), key.title(), user.enterpriseGroupId());
    }
}
