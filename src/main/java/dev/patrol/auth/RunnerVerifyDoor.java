package dev.patrol.auth;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import dev.patrol.database.DatabaseOutages;
import dev.patrol.token.TokenIntrospection;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The door of {@value #PATH} (GitLab's "verify authentication for a registered runner") and of nothing else: the
 * runner authenticates with its token in the body, not with a caller token, so this path must stay out of every other
 * door under {@code /api/v4}. In order: POST only (405); a banned address is refused (403); the body's token must be
 * an active runner authentication token ({@link RunnerToken}: 400 when missing, 403 otherwise); its use is noted.
 * Refusals are GitLab's REST bodies ({@code {"message": "403 Forbidden"}}, {@code {"error": "token is missing"}}).
 */
@Component
public class RunnerVerifyDoor extends Door {

    public static final String PATH = "/api/v4/runners/verify";

    RunnerVerifyDoor(AuthCache cache, FailedAuthBan bans, UsageBuffer usage, ApiRequestLog requestLog, JsonMapper json,
            TokenIntrospection rules, DatabaseOutages outages) {
        super(requestLog, outages, gitLabErrors(json),
                PostRequest.any(),
                new BanCheck(bans),
                new RunnerToken(cache, bans, rules, json),
                new UsageRecording(usage));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().equals(PATH);
    }

    private static RefusalFormat gitLabErrors(JsonMapper json) {
        return (response, reason, message) -> {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            String key = response.getStatus() == HttpStatus.BAD_REQUEST.value() ? "error" : "message";
            response.getWriter().write(json.writeValueAsString(Map.of(key, message)));
        };
    }
}
