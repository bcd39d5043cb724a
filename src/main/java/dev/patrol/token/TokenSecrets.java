package dev.patrol.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The format of a token value: type prefix, {@value #RANDOM_LENGTH} random base62 characters (190 bits)
 * and a {@value #CHECKSUM_LENGTH}-character base62 CRC32 of the two. The checksum lets Patrol reject a
 * mistyped or made-up value without a database read, and lets secret scanners recognise real tokens.
 * Only the SHA-256 digest of a value is ever stored.
 */
public final class TokenSecrets {

    public static final int RANDOM_LENGTH = 32;
    public static final int CHECKSUM_LENGTH = 6;
    /** Random characters kept in the display prefix: enough to tell tokens apart, far too few to guess. */
    private static final int DISPLAY_RANDOM_CHARS = 4;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() {
    }

    /** A fresh value for the type. */
    public static String generate(TokenType type) {
        StringBuilder random = new StringBuilder(RANDOM_LENGTH);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            random.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return withChecksum(type.prefix(), random.toString());
    }

    /**
     * A valid value built from a chosen random part, for tests and automation that need a predetermined token
     * (GitLab's {@code set_token}). The random part must be {@value #RANDOM_LENGTH} base62 characters.
     */
    public static String withChecksum(String prefix, String randomPart) {
        if (randomPart.length() != RANDOM_LENGTH || !isBase62(randomPart)) {
            throw new IllegalArgumentException("the random part must be " + RANDOM_LENGTH + " letters or digits");
        }
        return prefix + randomPart + checksum(prefix + randomPart);
    }

    /** The prefix of a well-formed value, or empty when the value is malformed (no database read needed). */
    public static Optional<String> wellFormedPrefix(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Optional<String> prefix = TokenType.prefixOf(value);
        if (prefix.isEmpty() || value.length() != prefix.get().length() + RANDOM_LENGTH + CHECKSUM_LENGTH) {
            return Optional.empty();
        }
        String body = value.substring(prefix.get().length());
        if (!isBase62(body)) {
            return Optional.empty();
        }
        String payload = value.substring(0, value.length() - CHECKSUM_LENGTH);
        String checksum = value.substring(value.length() - CHECKSUM_LENGTH);
        return checksum(payload).equals(checksum) ? prefix : Optional.empty();
    }

    public static boolean isWellFormed(String value) {
        return wellFormedPrefix(value).isPresent();
    }

    public static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The non-secret start of a value shown in lists: the prefix and the first few random characters. */
    public static String displayPrefix(String value, String prefix) {
        return value.substring(0, prefix.length() + DISPLAY_RANDOM_CHARS);
    }

    private static String checksum(String payload) {
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.UTF_8));
        long n = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (n % ALPHABET.length()));
            n /= ALPHABET.length();
        }
        return new String(out);
    }

    private static boolean isBase62(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }
}
