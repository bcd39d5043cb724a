package dev.patrol.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token introspection settings ({@code patrol.introspection.*}).
 *
 * @param rateLimit requests per second one caller (one token or OAuth application) may send to one instance, with
 *                  bursts of as many; more are answered 429
 */
@ConfigurationProperties("patrol.introspection")
public record IntrospectionProperties(@DefaultValue("1000") int rateLimit) {
}
