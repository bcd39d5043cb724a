package dev.patrol.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.HttpMethod;

import dev.patrol.token.AccessToken;

/**
 * A plain HTTP call (not GraphQL), judged by its method and path: the inventory's endpoints by method alone, and
 * GitLab's REST API under {@value #PREFIX}, judged by its method and path alone: {@code GET /user} and
 * {@code GET /users/:id} need {@code read_user}, {@code read_api} or {@code api}; other reads {@code read_api} or
 * {@code api}; writes {@code api}; {@code DELETE /personal_access_tokens/self} any scope; and rotating the token itself
 * ({@code POST /personal_access_tokens/self/rotate}, or its own id) {@code self_rotate} or {@code api}. Every rotate
 * endpoint counts for reuse detection.
 *
 * @param rotatedId the id in a {@code .../:id/rotate} path; {@link #SELF} for {@code /self/rotate}; null otherwise
 */
record RestCall(Kind kind, boolean rotates, Long rotatedId) implements ApiCall {

    static final String PREFIX = "/api/v4";
    /** {@code rotatedId} of {@code /personal_access_tokens/self/rotate}. */
    static final long SELF = -1;

    static final RestCall READ = new RestCall(Kind.READ, false, null);
    static final RestCall WRITE = new RestCall(Kind.WRITE, false, null);

    private static final Pattern USER_PROFILE = Pattern.compile("/user|/users/[^/]+");
    private static final Pattern REVOKE_ITSELF = Pattern.compile("/personal_access_tokens/self");
    private static final Pattern ROTATE = Pattern.compile(
            "/(?:personal_access_tokens|(?:projects|groups)/[^/]+/access_tokens)/(self|[^/]+)/rotate");

    /** The call a request under {@value #PREFIX} makes, from its method and its path as sent (still URL-encoded). */
    static RestCall of(String method, String requestUri) {
        String path = requestUri.substring(PREFIX.length());
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (HttpMethod.GET.matches(method) || HttpMethod.HEAD.matches(method)) {
            return USER_PROFILE.matcher(path).matches() ? new RestCall(Kind.READ_USER, false, null) : READ;
        }
        if (HttpMethod.DELETE.matches(method) && REVOKE_ITSELF.matcher(path).matches()) {
            return new RestCall(Kind.REVOKE_ITSELF, false, null);
        }
        Matcher rotate = ROTATE.matcher(path);
        if (HttpMethod.POST.matches(method) && rotate.matches()) {
            return new RestCall(Kind.WRITE, true, rotatedId(rotate.group(1), path));
        }
        return WRITE;
    }

    /** Only the personal access token paths rotate the presented token itself; an id that is not a number, nothing. */
    private static Long rotatedId(String id, String path) {
        if (!path.startsWith("/personal_access_tokens/")) {
            return null;
        }
        if (id.equals("self")) {
            return SELF;
        }
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException notAnId) {
            return null;
        }
    }

    @Override
    public boolean isSelfRotationOf(AccessToken token) {
        return rotatedId != null && (rotatedId == SELF || rotatedId == token.id());
    }
}
