package dev.patrol.graphql;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.Value;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import graphql.schema.GraphQLScalarType;

/**
 * The {@code Date} (ISO-8601 calendar date) and {@code Time} (ISO-8601 instant) scalars of schema.graphqls.
 * {@code Time} also serializes the UTC {@link LocalDateTime}s that the database columns map to.
 */
@Configuration(proxyBeanMethods = false)
class ScalarConfig {

    @Bean
    RuntimeWiringConfigurer scalars() {
        return wiring -> wiring
                .scalar(ExtendedScalars.Date)
                .scalar(time());
    }

    @SuppressWarnings("unchecked")
    private static GraphQLScalarType time() {
        Coercing<Object, Object> base = (Coercing<Object, Object>) ExtendedScalars.DateTime.getCoercing();
        return GraphQLScalarType.newScalar()
                .name("Time")
                .description("An ISO-8601 instant in UTC, e.g. 2026-05-30T13:45:00Z.")
                .coercing(new Coercing<Object, Object>() {
                    @Override
                    public Object serialize(Object input, GraphQLContext context, Locale locale) {
                        Object value = input instanceof LocalDateTime utc ? utc.atOffset(ZoneOffset.UTC) : input;
                        return base.serialize(value, context, locale);
                    }

                    @Override
                    public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                        return base.parseValue(input, context, locale);
                    }

                    @Override
                    public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                            Locale locale) {
                        return base.parseLiteral(input, variables, context, locale);
                    }

                    @Override
                    public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                        return base.valueToLiteral(input, context, locale);
                    }
                })
                .build();
    }
}
