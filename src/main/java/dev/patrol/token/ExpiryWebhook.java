package dev.patrol.token;

/** Which expiring-token webhook a type's project or group sends, if any. */
public enum ExpiryWebhook {
    NONE,
    /** GitLab's "Resource Access Token Hook": its base thresholds, and the extended ones for hooks that opt in. */
    RESOURCE_ACCESS_TOKEN,
    /** The same payload for deploy tokens, on thresholds of their own. */
    DEPLOY_TOKEN
}
