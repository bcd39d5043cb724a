package dev.patrol.shared;



/**
 * A domain error whose message is written for the person who caused it. It never carries a secret,
 * SQL or a class name, so the API and the console may show it as it is.
 */
public class PatrolException extends RuntimeException {

    private final ErrorCode code;

    public PatrolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static PatrolException badInput(String message) {
        return new PatrolException(ErrorCode.BAD_USER_INPUT, message);
    }

    public static PatrolException notFound(String message) {
        return new PatrolException(ErrorCode.NOT_FOUND, message);
    }

    public static PatrolException forbidden(String message) {
        return new PatrolException(ErrorCode.FORBIDDEN, message);
    }

    public static PatrolException conflict(String message) {
        return new PatrolException(ErrorCode.CONFLICT, message);
    }
}
