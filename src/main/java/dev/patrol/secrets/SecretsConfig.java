package dev.patrol.secrets;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.KeyGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.patrol.CannotStart;

/**
 * Where the keys for secrets at rest come from. Configured keys ({@code patrol.secrets.keys}, from the environment
 * or a config tree shared by every instance) always count. Without them:
 * <ul>
 * <li>an embedded H2 file database gets a key file, {@code secrets.key} beside the H2 file, created mode 0600 on
 * first start: whoever can read the database file can read the key anyway, so it adds no new trust boundary, and
 * it keeps the key out of the database and its dumps;</li>
 * <li>an in-memory H2 database gets a key that lives as long as the data it protects, the process;</li>
 * <li>any other database (MySQL, MariaDB, an H2 server) refuses to start: a key generated here would not be shared
 * by the other instances, and values sealed with it would be unreadable there and lost with this machine.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class SecretsConfig {

    static final String KEY_FILE_NAME = "secrets.key";
    private static final String EMBEDDED_KEY_ID = "local1";
    private static final Pattern H2_FILE_URL = Pattern.compile("jdbc:h2:(?:file:)?([^;:][^;]*)(?:;.*)?");
    private static final Logger log = LoggerFactory.getLogger(SecretsConfig.class);

    @Bean
    SecretCipher secretCipher(SecretsProperties properties, @Value("${spring.datasource.url:}") String databaseUrl) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        Optional<Path> embeddedFile = embeddedDatabaseFile(databaseUrl);
        if (embeddedFile.isPresent()) {
            Path keyFile = embeddedFile.get().toAbsolutePath().getParent().resolve(KEY_FILE_NAME);
            if (properties.keys().isEmpty() && !Files.exists(keyFile)) {
                create(keyFile);
            }
            if (Files.exists(keyFile)) {
                read(keyFile).forEach((id, value) -> keys.put(id, decode(id, value, keyFile.toString())));
            }
        } else if (properties.keys().isEmpty() && databaseUrl.startsWith("jdbc:h2:mem:")) {
            keys.put("memory", generate());
        } else if (properties.keys().isEmpty()) {
            throw new CannotStart("No key for secrets at rest: set PATROL_SECRETS_KEYS_<ID> to a base64 AES-256 key "
                    + "(openssl rand -base64 32), the same on every instance.");
        }
        properties.keys().forEach((id, value) -> keys.put(id, decode(id, value, "patrol.secrets.keys")));
        return new SecretCipher(keys, activeKey(properties, keys));
    }

    private static String activeKey(SecretsProperties properties, Map<String, byte[]> keys) {
        if (properties.activeKey() != null && !properties.activeKey().isBlank()) {
            if (!keys.containsKey(properties.activeKey())) {
                throw new CannotStart("patrol.secrets.active-key names '" + properties.activeKey()
                        + "', which is not among the keys " + keys.keySet() + ".");
            }
            return properties.activeKey();
        }
        if (keys.size() != 1) {
            throw new CannotStart("There are several keys for secrets at rest " + keys.keySet()
                    + ": set PATROL_SECRETS_ACTIVE_KEY to the one that seals new values.");
        }
        return keys.keySet().iterator().next();
    }

    /** The file of an embedded H2 database ({@code jdbc:h2:file:./data/patrol}), if the URL names one. */
    static Optional<Path> embeddedDatabaseFile(String url) {
        Matcher m = H2_FILE_URL.matcher(url);
        if (!m.matches() || url.startsWith("jdbc:h2:mem:") || url.matches("jdbc:h2:(tcp|ssl|zip):.*")) {
            return Optional.empty();
        }
        String path = m.group(1);
        return Optional.of(path.startsWith("~") ? Path.of(System.getProperty("user.home") + path.substring(1))
                : Path.of(path));
    }

    private static byte[] decode(String id, String base64, String source) {
        try {
            byte[] key = Base64.getDecoder().decode(base64.strip());
            if (key.length == 16 || key.length == 24 || key.length == 32) {
                return key;
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below, without echoing the value
        }
        throw new CannotStart("Key '" + id + "' in " + source + " is not a base64 AES key of 128, 192 or 256 bits.");
    }

    private static byte[] generate() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey().getEncoded();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("AES is not available in this JDK", e);
        }
    }

    private static Map<String, String> read(Path keyFile) {
        Properties lines = new Properties();
        try (Reader in = Files.newBufferedReader(keyFile)) {
            lines.load(in);
        } catch (IOException e) {
            throw new CannotStart("Cannot read the key file " + keyFile + ": " + e.getMessage());
        }
        Map<String, String> keys = new LinkedHashMap<>();
        lines.stringPropertyNames().forEach(id -> keys.put(id, lines.getProperty(id)));
        return keys;
    }

    private static void create(Path keyFile) {
        try {
            Files.createDirectories(keyFile.getParent());
            try {
                Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(keyFile);
            }
            try (Writer out = Files.newBufferedWriter(keyFile)) {
                out.write("# Keys for secrets at rest in the database beside this file (id=base64 AES key).\n"
                        + "# Back it up apart from the database: without it the secrets are lost. See README.md.\n"
                        + EMBEDDED_KEY_ID + "=" + Base64.getEncoder().encodeToString(generate()) + "\n");
            }
            log.info("Created the key for secrets at rest in {} (readable by this user only)", keyFile);
        } catch (FileAlreadyExistsException anotherProcessWasFirst) {
            // its key is read next
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the key file " + keyFile, e);
        }
    }
}
