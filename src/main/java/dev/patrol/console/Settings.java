package dev.patrol.console;

import java.util.Map;

import dev.patrol.settings.InstanceSettings;
import dev.patrol.settings.SettingsChange;

/** Instance settings for scripts: {@code Settings.current}, {@code Settings.update(maxLifetimeDays: 90)}. */
public final class Settings {

    private final ScriptContext context;

    Settings(ScriptContext context) {
        this.context = context;
    }

    public InstanceSettings getCurrent() {
        return context.services().settings().current();
    }

    /** Changes {@code maxLifetimeDays}, {@code requireExpiration} and/or {@code impersonationEnabled} (audited). */
    public InstanceSettings update(Map<String, Object> change) {
        for (String key : change.keySet()) {
            if (!key.equals("maxLifetimeDays") && !key.equals("requireExpiration")
                    && !key.equals("impersonationEnabled")) {
                throw new ScriptFailure("Unknown setting '" + key
                        + "'; use maxLifetimeDays, requireExpiration or impersonationEnabled.");
            }
        }
        Object days = change.get("maxLifetimeDays");
        return context.services().settings().update(context.actor(), new SettingsChange(
                days == null ? null : ((Number) days).intValue(),
                (Boolean) change.get("requireExpiration"), (Boolean) change.get("impersonationEnabled")));
    }

    @Override
    public String toString() {
        return getCurrent().toString();
    }
}
