package dev.patrol.settings;

import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.shared.Caller;
import dev.patrol.shared.Payloads;
import dev.patrol.shared.Payloads.Outcome;

/** Serves {@code instanceSettings} and {@code instanceSettingsUpdate}. */
@Controller
class SettingsController {

    private final SettingsService settings;

    SettingsController(SettingsService settings) {
        this.settings = settings;
    }

    record SettingsPayload(InstanceSettings instanceSettings, List<String> errors) {
    }

    @QueryMapping
    InstanceSettings instanceSettings(@ContextValue Caller caller) {
        caller.requireAdmin();
        return settings.current();
    }

    @MutationMapping
    SettingsPayload instanceSettingsUpdate(@Argument SettingsChange input, @ContextValue Caller caller) {
        Outcome<InstanceSettings> outcome = Payloads.attempt(() -> settings.update(caller.actor(), input));
        return new SettingsPayload(outcome.value(), outcome.errors());
    }
}
