package dev.patrol.graphql;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLScalarType;

/**
 * The {@code Date} (ISO-8601 calendar date) and {@code Time} (ISO-8601 instant) scalars of schema.graphqls.
 * Input follows {@link DateInput}'s rules (strict, 1970-01-01 … 9999-12-31, plain messages); output is
 * graphql-java-extended-scalars' {@code Date} and {@code DateTime} format. {@code Time} also serializes the UTC
 * {@link LocalDateTime}s that the database columns map to.
 */
@Configuration(proxyBeanMethods = false)
class ScalarConfig {

    private static final String DATE_AS_STRING = "send a date as a string, YYYY-MM-DD (e.g. \"2026-05-30\")";
    private static final String TIME_AS_STRING = "send an instant as a string, e.g. \"2026-05-30T13:45:00Z\"";

    @Bean
    RuntimeWiringConfigurer scalars() {
        return wiring -> wiring
                .scalar(date())
                .scalar(time());
    }

    @SuppressWarnings("unchecked")
    private static GraphQLScalarType date() {
        Coercing<Object, Object> base = (Coercing<Object, Object>) ExtendedScalars.Date.getCoercing();
        return GraphQLScalarType.newScalar()
                .name("Date")
                .description("An ISO-8601 calendar date, e.g. 2026-05-30.")
                .coercing(new InputCoercing(base, DATE_AS_STRING, DateInput::date) {
                    @Override
                    Object checked(Object input) {
                        return input instanceof LocalDate date ? DateInput.inRange(date, date) : null;
                    }
                })
                .build();
    }

    @SuppressWarnings("unchecked")
    private static GraphQLScalarType time() {
        Coercing<Object, Object> base = (Coercing<Object, Object>) ExtendedScalars.DateTime.getCoercing();
        return GraphQLScalarType.newScalar()
                .name("Time")
                .description("An ISO-8601 instant in UTC, e.g. 2026-05-30T13:45:00Z.")
                .coercing(new InputCoercing(base, TIME_AS_STRING, DateInput::time) {
                    @Override
                    public Object serialize(Object input, GraphQLContext context, Locale locale) {
                        Object value = input instanceof LocalDateTime utc ? utc.atOffset(ZoneOffset.UTC) : input;
                        return super.serialize(value, context, locale);
                    }

                    @Override
                    Object checked(Object input) {
                        OffsetDateTime time = input instanceof ZonedDateTime zoned ? zoned.toOffsetDateTime()
                                : input instanceof OffsetDateTime offset ? offset : null;
                        if (time != null) {
                            DateInput.inRange(time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate(), time);
                        }
                        return time;
                    }
                })
                .build();
    }

    /**
     * Parses input text with {@code parse} and refuses anything else with a plain message; output and literals
     * for defaults are the base scalar's.
     */
    private abstract static class InputCoercing implements Coercing<Object, Object> {

        private final Coercing<Object, Object> base;
        private final String asString;
        private final Function<String, ?> parse;

        InputCoercing(Coercing<Object, Object> base, String asString, Function<String, ?> parse) {
            this.base = base;
            this.asString = asString;
            this.parse = parse;
        }

        /** The already-parsed Java value {@code input}, checked; null when it is not one. */
        abstract Object checked(Object input);

        @Override
        public Object serialize(Object input, GraphQLContext context, Locale locale) {
            return base.serialize(input, context, locale);
        }

        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) {
            try {
                if (input instanceof String text) {
                    return parse.apply(text);
                }
                Object value = checked(input);
                if (value == null) {
                    throw new IllegalArgumentException(DateInput.quote(input) + " is not a string: " + asString
                            + ".");
                }
                return value;
            } catch (IllegalArgumentException e) {
                throw new CoercingParseValueException(e.getMessage());
            }
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                Locale locale) {
            try {
                if (input instanceof StringValue text) {
                    return parse.apply(text.getValue());
                }
                throw new IllegalArgumentException(literal(input) + " is not a string: " + asString + ".");
            } catch (IllegalArgumentException e) {
                throw new CoercingParseLiteralException(e.getMessage());
            }
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return base.valueToLiteral(input, context, locale);
        }

        private static String literal(Value<?> value) {
            return switch (value) {
                case IntValue v -> DateInput.quote(v.getValue());
                case FloatValue v -> DateInput.quote(v.getValue());
                case BooleanValue v -> DateInput.quote(v.isValue());
                case EnumValue v -> DateInput.quote(v.getName());
                default -> "A list or an object";
            };
        }
    }
}
