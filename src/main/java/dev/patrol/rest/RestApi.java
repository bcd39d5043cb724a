package dev.patrol.rest;

import java.util.Set;

import dev.patrol.token.TokenType;

/** Where GitLab's REST API lives, and the token types its endpoints serve. */
final class RestApi {

    static final String PREFIX = "/api/v4";

    /**
     * GitLab's {@code personal_access_tokens}: users' own and impersonation tokens and the project and group access
     * tokens of bots, which GitLab keeps in the same table.
     */
    static final Set<TokenType> PERSONAL_ACCESS_TOKENS = TokenType.where(t -> t.modelName().equals("PersonalAccessToken"));

    private RestApi() {
    }
}
