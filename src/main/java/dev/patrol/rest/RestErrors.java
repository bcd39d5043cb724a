package dev.patrol.rest;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.patrol.shared.PatrolException;
import dev.patrol.token.TokenReuseDetectedException;

/**
 * Writes every refusal of a REST call as GitLab does: the status and {@code {"message": "<status> <reason>"}}. Domain
 * errors keep their plain messages, which never carry a secret or SQL; anything else is left to the door, which
 * answers a database outage with 503, and to Spring, whose error body has no stack trace.
 */
@RestControllerAdvice(basePackageClasses = RestErrors.class)
class RestErrors {

    @ExceptionHandler
    ResponseEntity<Map<String, String>> refused(RestError error) {
        return body(error.status(), error.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Map<String, String>> domain(PatrolException error) {
        return switch (error.code()) {
            case BAD_USER_INPUT -> body(HttpStatus.BAD_REQUEST, "400 Bad request - " + error.getMessage());
            case NOT_FOUND -> body(HttpStatus.NOT_FOUND, "404 Not Found - " + error.getMessage());
            case FORBIDDEN -> body(HttpStatus.FORBIDDEN, "403 Forbidden - " + error.getMessage());
            case UNAUTHENTICATED -> body(HttpStatus.UNAUTHORIZED, "401 Unauthorized");
            // GitLab's rotate endpoints answer 400 when the token was not rotated; reuse detection is one such case.
            case CONFLICT -> error instanceof TokenReuseDetectedException
                    ? body(HttpStatus.BAD_REQUEST, "400 Bad request - " + error.getMessage())
                    : body(HttpStatus.CONFLICT, "409 Conflict - " + error.getMessage());
            case SERVICE_UNAVAILABLE -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "5")
                    .body(Map.of("message", "503 Service Unavailable - " + error.getMessage()));
        };
    }

    private static ResponseEntity<Map<String, String>> body(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(Map.of("message", message));
    }
}
