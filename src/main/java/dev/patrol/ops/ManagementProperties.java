package dev.patrol.ops;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may read the management port beyond the probes: a static bearer token from configuration (never a Patrol
 * token, so checking it never reads the database) and the client addresses allowed to try it.
 *
 * @param token     {@code Authorization: Bearer <token>}; without one, nothing but the probes is served
 * @param allowlist addresses or CIDR blocks (loopback by default)
 */
@ConfigurationProperties("patrol.management")
public record ManagementProperties(String token, @DefaultValue({"127.0.0.1/32", "::1/128"}) List<String> allowlist) {
}
