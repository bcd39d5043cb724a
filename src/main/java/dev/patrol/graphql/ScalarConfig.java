package dev.patrol.graphql;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

import graphql.scalars.ExtendedScalars;

/** The {@code Date} (ISO-8601 calendar date) and {@code Time} (ISO-8601 instant) scalars of schema.graphqls. */
@Configuration(proxyBeanMethods = false)
class ScalarConfig {

    @Bean
    RuntimeWiringConfigurer scalars() {
        return wiring -> wiring
                .scalar(ExtendedScalars.Date)
                .scalar(ExtendedScalars.DateTime.transform(b -> b.name("Time")
                        .description("An ISO-8601 instant in UTC, e.g. 2026-05-30T13:45:00Z.")));
    }
}
