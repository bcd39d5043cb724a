package dev.patrol.settings;

/**
 * Instance-wide token policy.
 *
 * @param maxLifetimeDays      the longest lifetime a new token may have, 1..400
 * @param requireExpiration    whether new tokens must expire (a default expiry applies when none is given)
 * @param impersonationEnabled whether impersonation tokens may be created and used
 */
public record InstanceSettings(int maxLifetimeDays, boolean requireExpiration, boolean impersonationEnabled) {

    public static final int MAX_LIFETIME_CEILING = 400;
}
