package dev.patrol.console;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.patrol.owner.Resource;
import dev.patrol.owner.User;
import dev.patrol.token.AccessToken;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.RevokeResult;
import dev.patrol.token.Scope;

/**
 * A token as a script sees it: its fields, and revoke, rotate and extend through the token service (so the
 * rules apply and each change is audited with the operator and source console). Never holds a secret, except
 * the one handle returned by a create or a rotation, whose {@link #getValue} shows the new value.
 */
public final class TokenHandle {

    private static final DateTimeFormatter LAST_USED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private final ScriptContext context;
    private final AccessToken token;
    private User user;
    private final String value;

    TokenHandle(ScriptContext context, AccessToken token, User user, String value) {
        this.context = context;
        this.token = token;
        this.user = user;
        this.value = value;
    }

    public long getId() {
        return token.id();
    }

    /** {@code PersonalAccessToken/12}. */
    public String reference() {
        return token.reference();
    }

    public String getType() {
        return token.type().name();
    }

    public String getName() {
        return token.name();
    }

    public String getDescription() {
        return token.description();
    }

    public Long getUserId() {
        return token.userId();
    }

    public Long getProjectId() {
        return token.projectId();
    }

    public Long getGroupId() {
        return token.groupId();
    }

    public Long getResourceId() {
        return token.resourceId();
    }

    public Integer getAccessLevel() {
        return token.accessLevel();
    }

    public String getDisplayPrefix() {
        return token.displayPrefix();
    }

    public List<String> getScopes() {
        return token.scopes().stream().map(Scope::id).toList();
    }

    /** The scopes the way the seed scripts print them: {@code ["api", "read_api"]}. */
    public String getScopeList() {
        StringBuilder list = new StringBuilder(16 * token.scopes().size() + 2).append('[');
        for (Scope scope : token.scopes()) {
            if (list.length() > 1) {
                list.append(", ");
            }
            list.append('"').append(scope.id()).append('"');
        }
        return list.append(']').toString();
    }

    public LocalDateTime getCreatedAt() {
        return token.createdAt();
    }

    public LocalDate getExpiresAt() {
        return token.expiresAt();
    }

    public boolean isRevoked() {
        return token.isRevoked();
    }

    public LocalDateTime getRevokedAt() {
        return token.revokedAt();
    }

    public boolean isActive() {
        return token.isActive(context.services().tokens().today());
    }

    public LocalDateTime getLastUsedAt() {
        return token.lastUsedAt();
    }

    /** {@code 2022-02-11 13:22:14 UTC}, or empty when never used: the seed scripts' format. */
    public String getLastUsed() {
        return token.lastUsedAt() == null ? "" : LAST_USED.format(token.lastUsedAt());
    }

    public List<String> getLastUsedIps() {
        return context.services().tokenRepository().lastUsedIps(List.of(token.id())).getOrDefault(token.id(), List.of());
    }

    /** The owning user (for user, bot and service-account tokens), or null. */
    public UserHandle getUser() {
        if (user == null && token.userId() != null) {
            user = context.services().owners().user(token.userId());
        }
        return user == null ? null : new UserHandle(context, user);
    }

    /** The runner, agent, application, job or workspace holding the token, or null. */
    public Resource getResource() {
        return token.resourceId() == null ? null : context.services().owners().resource(token.resourceId());
    }

    /** The agent for Kubernetes holding an agent token (the seed's {@code token.agent}). */
    public Resource getAgent() {
        return getResource();
    }

    /** The new value, only on the handle a create or a rotation returned; null otherwise. */
    public String getValue() {
        return value;
    }

    /** Revokes the token (audited). Returns false when it already was. */
    public boolean revoke() {
        RevokeResult result = context.services().tokens().revoke(context.actor(), token.id());
        return result.changed();
    }

    /** Rotates the token with the type's default expiry; the returned successor shows its value once. */
    public TokenHandle rotate() {
        return rotate(null);
    }

    public TokenHandle rotate(Object expiresAt) {
        IssuedToken issued = context.services().tokens().rotate(context.actor(), token.id(), Dates.of(expiresAt));
        return new TokenHandle(context, issued.token(), user, issued.secret());
    }

    /** Moves the expiry date (audited). Accepts a LocalDate or "YYYY-MM-DD". */
    public TokenHandle extendTo(Object date) {
        AccessToken updated = context.services().tokens().extendExpiry(context.actor(), token.id(), Dates.of(date));
        return new TokenHandle(context, updated, user, null);
    }

    /** The same token as stored now. */
    public TokenHandle reload() {
        return new TokenHandle(context, context.services().tokens().token(token.id()), null, null);
    }

    @Override
    public String toString() {
        String state = token.isRevoked() ? "revoked" : token.isActive(context.services().tokens().today()) ? "active"
                : "expired";
        return token.reference() + " '" + token.name() + "' " + token.displayPrefix() + "… scopes=" + getScopes()
                + " expires=" + (token.expiresAt() == null ? "never" : token.expiresAt()) + " " + state;
    }
}
