package dev.patrol.auth;

import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.patrol.token.AccessToken;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Answers {@code POST /api/v4/runners/verify} for a runner {@link RunnerVerifyDoor} let in, as GitLab does: the
 * runner's id, its token (the value the runner itself sent, which the runner writes to its configuration) and the
 * token's expiry, or null.
 */
@RestController
class RunnerVerifyController {

    @PostMapping(RunnerVerifyDoor.PATH)
    Map<String, Object> verify(HttpServletRequest request) {
        AccessToken token = (AccessToken) request.getAttribute(RunnerToken.TOKEN);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", token.resourceId());
        answer.put("token", request.getAttribute(RunnerToken.VALUE));
        answer.put("token_expires_at", token.expiresAt() == null ? null
                : token.expiresAt().atStartOfDay().toInstant(ZoneOffset.UTC).toString());
        return answer;
    }
}
