package dev.patrol.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.http.MediaType;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** How a door writes the body of a refusal; the status is already set. Refusals never repeat the token. */
interface RefusalFormat {

    void write(HttpServletResponse response, String reason, String message) throws IOException;

    /** The API's {@code {"error": "<reason>", "message": "<plain words>"}}. */
    static RefusalFormat json(JsonMapper json) {
        return (response, reason, message) -> {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(json.writeValueAsString(Map.of("error", reason, "message", message)));
        };
    }

    /** The message alone, as calendar clients show it. */
    static RefusalFormat plainText() {
        return (response, reason, message) -> {
            response.setContentType(MediaType.TEXT_PLAIN_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(message + "\n");
        };
    }
}
