package dev.patrol.secrets;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Keys for secrets at rest ({@code patrol.secrets.*}).
 *
 * @param keys      key id to a base64 AES key of 128, 192 or 256 bits ({@code PATROL_SECRETS_KEYS_<ID>}); servers
 *                  must set them, the same on every instance
 * @param activeKey the key that seals new values; may be left out when there is only one key
 */
@ConfigurationProperties("patrol.secrets")
public record SecretsProperties(Map<String, String> keys, String activeKey) {

    public SecretsProperties {
        keys = keys == null ? Map.of() : Map.copyOf(keys);
    }
}
