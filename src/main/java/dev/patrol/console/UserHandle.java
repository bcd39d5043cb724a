package dev.patrol.console;

import static patrol.jooq.Tables.ACCESS_TOKENS;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.patrol.owner.User;
import dev.patrol.token.TokenType;

/** A user as a script sees it: read its fields, block or unblock it, walk its tokens. */
public final class UserHandle {

    private final ScriptContext context;
    private final User user;

    UserHandle(ScriptContext context, User user) {
        this.context = context;
        this.user = user;
    }

    public long getId() {
        return user.id();
    }

    public String getUsername() {
        return user.username();
    }

    public String getName() {
        return user.name();
    }

    public String getEmail() {
        return user.email();
    }

    public String getKind() {
        return user.kind().name();
    }

    public boolean isAdmin() {
        return user.admin();
    }

    public String getState() {
        return user.state().name();
    }

    public boolean isBlocked() {
        return user.isBlocked();
    }

    public LocalDateTime getCreatedAt() {
        return user.createdAt();
    }

    /** Blocks the user (audited); their tokens stop authenticating. */
    public UserHandle block() {
        return new UserHandle(context, context.services().owners().block(context.actor(), user.id()));
    }

    public UserHandle unblock() {
        return new UserHandle(context, context.services().owners().unblock(context.actor(), user.id()));
    }

    /** The user's personal access tokens, as a query to refine or walk. */
    public TokenQuery getPersonalAccessTokens() {
        return new TokenQuery(context, TokenType.where(TokenType::usersPersonalAccessToken))
                .and(ACCESS_TOKENS.USER_ID.eq(user.id()));
    }

    /** Creates a personal access token for the user (audited); the returned handle shows its value once. */
    public TokenHandle createPersonalAccessToken(Map<String, Object> spec) {
        Map<String, Object> withUser = new LinkedHashMap<>(spec);
        withUser.put("user", this);
        withUser.putIfAbsent("type", "PERSONAL");
        return new TokenQuery(context, TokenQuery.ALL_TYPES).create(withUser);
    }

    @Override
    public String toString() {
        return "User " + user.id() + " '" + user.username() + "' (" + user.kind().name().toLowerCase()
                + (user.admin() ? ", admin" : "") + ", " + user.state().name().toLowerCase() + ")";
    }
}
