package dev.patrol.ops;

import org.springframework.boot.micrometer.observation.autoconfigure.ObservationRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.observation.ObservationRegistry;

/**
 * Observations Patrol keeps: whole GraphQL requests and HTTP requests, not each data fetcher and data loader call.
 * Those would cost every field of every request a timer of its own, on the path the performance budget measures.
 */
@Configuration(proxyBeanMethods = false)
class ObservationConfig {

    @Bean
    ObservationRegistryCustomizer<ObservationRegistry> noPerFieldObservations() {
        return registry -> registry.observationConfig().observationPredicate(
                (name, context) -> !name.equals("graphql.datafetcher") && !name.equals("graphql.dataloader"));
    }
}
