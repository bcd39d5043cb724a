package dev.patrol.settings;

/** A partial update of the instance settings: null fields stay as they are. */
public record SettingsChange(Integer maxLifetimeDays, Boolean requireExpiration, Boolean impersonationEnabled) {
}
