package dev.patrol.auth;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.patrol.token.AuthFailure;
import dev.patrol.token.Authentication;
import dev.patrol.token.TokenIntrospection;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runner's own token, from the body as GitLab's runner API takes it ({@code token}, in JSON or a form): missing,
 * 400; not an active runner authentication token ({@link TokenIntrospection#runnerRefusal}), 403, counted toward the
 * address's ban like any failed authentication. On success the log names the token, the address's count is reset,
 * and the handler finds the token under {@link #TOKEN} and the value under {@link #VALUE}.
 */
final class RunnerToken implements Step {

    static final String TOKEN = RunnerToken.class.getName() + ".token";
    static final String VALUE = RunnerToken.class.getName() + ".value";
    /** Far above a token and the few other fields a runner sends. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final AuthCache cache;
    private final FailedAuthBan bans;
    private final TokenIntrospection rules;
    private final JsonMapper json;

    RunnerToken(AuthCache cache, FailedAuthBan bans, TokenIntrospection rules, JsonMapper json) {
        this.cache = cache;
        this.bans = bans;
        this.rules = rules;
        this.json = json;
    }

    @Override
    public boolean pass(Passage passage) throws IOException {
        String value;
        if (isJson(passage.request.getContentType())) {
            try (InputStream in = passage.request.getInputStream()) {
                passage.body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (passage.body.length > MAX_BODY_BYTES) {
                return passage.refuse(HttpStatus.CONTENT_TOO_LARGE, "request_too_large",
                        "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
            }
            value = tokenIn(passage.body);
        } else {
            value = passage.request.getParameter("token");
        }
        if (value == null || value.isBlank()) {
            return passage.refuse(HttpStatus.BAD_REQUEST, "token_missing", "token is missing");
        }
        Authentication auth = cache.authenticate(value.strip());
        passage.token = auth.token();
        String refusal = rules.runnerRefusal(auth);
        if (refusal != null) {
            if (auth.failure() != AuthFailure.USER_BLOCKED) {
                bans.recordFailure(passage.ip);
            }
            return passage.refuseNeeding(null, HttpStatus.FORBIDDEN, refusal, "403 Forbidden");
        }
        bans.recordSuccess(passage.ip);
        passage.put("token_id", passage.tokenId());
        passage.request.setAttribute(TOKEN, auth.token());
        passage.request.setAttribute(VALUE, value.strip());
        return true;
    }

    private String tokenIn(byte[] body) {
        try {
            Map<?, ?> fields = json.readValue(body, Map.class);
            return fields != null && fields.get("token") instanceof String token ? token : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "application/json", 0, 16);
    }
}
