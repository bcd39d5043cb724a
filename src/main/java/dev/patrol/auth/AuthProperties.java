package dev.patrol.auth;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication settings ({@code patrol.auth.*}).
 *
 * @param cacheTtl how long a successful token look-up is reused without the database; a revocation on another
 *                 instance (or a blocked user) takes effect here within this bound, on this instance at once
 * @param ban      the failed-authentication ban
 * @param usage    how often buffered last-used data is written
 */
@ConfigurationProperties("patrol.auth")
public record AuthProperties(@DefaultValue("5s") Duration cacheTtl, @DefaultValue Ban ban, @DefaultValue Usage usage) {

    /**
     * {@code maxRetry} failures within {@code findTime} from one address ban it for {@code banTime}; a success
     * resets the count. Addresses in {@code allowlist} are never counted or banned.
     */
    public record Ban(@DefaultValue("true") boolean enabled, @DefaultValue("30") int maxRetry,
            @DefaultValue("3m") Duration findTime, @DefaultValue("1h") Duration banTime,
            @DefaultValue List<String> allowlist) {
    }

    /**
     * @param flushInterval how often buffered usage is written to the database
     * @param lastUsedEvery the least time between two writes of a token's last-used time
     * @param ipEvery       the least time between two writes of one address of a token
     */
    public record Usage(@DefaultValue("10s") Duration flushInterval, @DefaultValue("10m") Duration lastUsedEvery,
            @DefaultValue("1m") Duration ipEvery) {
    }
}
