package dev.patrol.token;

import java.util.Set;

/**
 * Which part of all tokens a list starts from, before the caller's visibility and the filter apply: all tokens,
 * or one holder's tokens of some types (a user's personal access tokens, a project's deploy tokens, ...).
 */
public record TokenListScope(Long userId, Long projectId, Long groupId, Set<TokenType> types) {

    public static TokenListScope all() {
        return new TokenListScope(null, null, null, Set.of());
    }

    public static TokenListScope ofUser(long userId, Set<TokenType> types) {
        return new TokenListScope(userId, null, null, types);
    }

    public static TokenListScope ofProject(long projectId, Set<TokenType> types) {
        return new TokenListScope(null, projectId, null, types);
    }

    public static TokenListScope ofGroup(long groupId, Set<TokenType> types) {
        return new TokenListScope(null, null, groupId, types);
    }
}
