package dev.patrol.token;

import dev.patrol.owner.User;

/**
 * The outcome of checking a presented token: the token and its user, or why it was refused. A refused
 * token that was found still carries the token, so logs can name it ({@code PersonalAccessToken/12}).
 */
public record Authentication(AccessToken token, User user, AuthFailure failure) {

    public static Authentication refused(AuthFailure failure) {
        return new Authentication(null, null, failure);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
