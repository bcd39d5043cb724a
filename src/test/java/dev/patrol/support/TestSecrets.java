package dev.patrol.support;

import java.util.Base64;
import java.util.Map;

import dev.patrol.secrets.SecretCipher;

/**
 * The keys for secrets at rest that every test context is configured with (see {@link PatrolTest}): {@code test-1},
 * an older key, and {@code test-2}, the active one. Test data only.
 */
public final class TestSecrets {

    public static final String OLD_KEY_ID = "test-1";
    public static final String OLD_KEY = "HKSVhDusYwXr9aNrMIHJy1W1xEL9dkGW8wvelzK7Xoo=";
    public static final String ACTIVE_KEY_ID = "test-2";
    public static final String ACTIVE_KEY = "iwMI3ZSJ4l5QmodOfE0r9WHPQYqs3CwML2UuJ+iOUiM=";

    private TestSecrets() {
    }

    /** A cipher that seals with the old key, to make values as they were before a rotation. */
    public static SecretCipher oldKeyCipher() {
        return new SecretCipher(Map.of(OLD_KEY_ID, Base64.getDecoder().decode(OLD_KEY)), OLD_KEY_ID);
    }

    /** A cipher that opens values sealed with either key. */
    public static SecretCipher bothKeysCipher() {
        return new SecretCipher(Map.of(OLD_KEY_ID, Base64.getDecoder().decode(OLD_KEY),
                ACTIVE_KEY_ID, Base64.getDecoder().decode(ACTIVE_KEY)), ACTIVE_KEY_ID);
    }
}
