package dev.patrol.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets stored in the database with AES-GCM: a random 12-byte nonce per value, the key id and the value's
 * place (table, column and row) bound as associated data, so a sealed value copied to another row or relabelled
 * with another key id does not open. Values are stored as base64(nonce + ciphertext + tag) beside the key id.
 */
public final class SecretCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKey> keys;
    private final String activeKeyId;
    private final SecureRandom random = new SecureRandom();

    /** A sealed value and the id of the key that sealed it. */
    public record Sealed(String keyId, String value) {
    }

    /** A sealed value that cannot be opened: its key is not configured, or it was altered or moved. */
    public static final class UnreadableSecret extends RuntimeException {
        UnreadableSecret(String message) {
            super(message);
        }
    }

    public SecretCipher(Map<String, byte[]> keys, String activeKeyId) {
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("The active key '" + activeKeyId + "' is not among the keys.");
        }
        Map<String, SecretKey> specs = new LinkedHashMap<>();
        keys.forEach((id, bytes) -> specs.put(id, new SecretKeySpec(bytes, "AES")));
        this.keys = Map.copyOf(specs);
        this.activeKeyId = activeKeyId;
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    /** Seals {@code plaintext} under the active key for the place named by {@code context}. */
    public Sealed seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(activeKeyId, context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] stored = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, stored, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
            return new Sealed(activeKeyId, Base64.getEncoder().encodeToString(stored));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /** The plaintext of a value sealed for {@code context}. */
    public String open(Sealed sealed, String context) {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new UnreadableSecret("The secret was sealed with key '" + sealed.keyId()
                    + "', which is not configured (patrol.secrets.keys).");
        }
        try {
            byte[] stored = Base64.getDecoder().decode(sealed.value());
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(sealed.keyId(), context));
            return new String(cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new UnreadableSecret("The secret does not open with key '" + sealed.keyId()
                    + "': it was altered, or moved from another row.");
        }
    }

    private static byte[] associatedData(String keyId, String context) {
        return (keyId + "\0" + context).getBytes(StandardCharsets.UTF_8);
    }
}
