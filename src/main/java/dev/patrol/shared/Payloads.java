package dev.patrol.shared;

import java.util.List;
import java.util.function.Supplier;

/**
 * How mutations report domain errors. Problems the caller can fix in the input (BAD_USER_INPUT, CONFLICT, which
 * includes token reuse detection) go into the payload's {@code errors}; FORBIDDEN and NOT_FOUND stay GraphQL
 * errors with {@code extensions.code}, since no change of input fixes them. Either way nothing changed, because
 * the service's transaction rolled back (reuse detection excepted: its family revocation is meant to stick).
 */
public final class Payloads {

    private Payloads() {
    }

    /** The value of a successful change, or the user-fixable error that prevented it. */
    public record Outcome<T>(T value, List<String> errors) {
    }

    public static <T> Outcome<T> attempt(Supplier<T> change) {
        try {
            return new Outcome<>(change.get(), List.of());
        } catch (PatrolException e) {
            if (e.code() == ErrorCode.BAD_USER_INPUT || e.code() == ErrorCode.CONFLICT) {
                return new Outcome<>(null, List.of(e.getMessage()));
            }
            throw e;
        }
    }
}
