package dev.patrol.token;

import java.time.LocalDate;
import java.util.List;

/**
 * A request to issue a token. Which holder fields apply depends on the type's {@link Holder}: {@code userId}
 * for user tokens, {@code projectId} or {@code groupId} for project, group, deploy, trigger, SCIM and feature
 * flags tokens, {@code resourceId} for runner, agent, application, job and workspace tokens.
 *
 * @param accessLevel the role of a project or group access token (default Maintainer); null otherwise
 * @param username    a deploy token's username (default {@code gitlab+deploy-token-<id>})
 */
public record NewToken(
        TokenType type,
        String name,
        String description,
        List<String> scopes,
        LocalDate expiresAt,
        Long userId,
        Long projectId,
        Long groupId,
        Long resourceId,
        Integer accessLevel,
        String username) {

    public static NewToken personal(long userId, String name, List<String> scopes, LocalDate expiresAt) {
        return new NewToken(TokenType.PERSONAL, name, null, scopes, expiresAt, userId, null, null, null, null, null);
    }
}
