package dev.patrol.token;

import static patrol.jooq.Tables.ACCESS_TOKENS;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.Condition;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Memberships;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Permissions;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.shared.PatrolException;

/**
 * Who may see and manage (revoke, rotate, extend) a token: the one rule, given both as a Java decision on a loaded
 * token and as a jOOQ condition on {@code access_tokens}, each derived from the same {@link Grant}s per type.
 * Administrators may do everything. Besides them: a token's user manages it when it belongs to no project or
 * group; the Owners of a top-level group manage its enterprise users' and service accounts' user-held tokens; and
 * members whose role on a token's project or group (direct or inherited) is at least the type's
 * {@link TokenType#managerRole()} manage it. Types for administrators only ({@link TokenType#impersonation()
 * impersonation tokens}) get no grant.
 */
@Component
public class TokenAccessPolicy {

    /** The role on a user's enterprise group that lets its members manage the user's tokens. */
    public static final AccessLevel ENTERPRISE_MANAGER_ROLE = AccessLevel.OWNER;

    /** A way, besides being an administrator, to manage a token. */
    private enum Grant {
        /** The token's user, when the token belongs to no project or group. */
        TOKEN_USER,
        /** Members of the enterprise group of the token's user (a person, not a bot) with the enterprise manager role. */
        ENTERPRISE_MANAGER,
        /** Members whose role on the token's project or group is at least the type's manager role. */
        MANAGER_ROLE
    }

    private static Set<Grant> grants(TokenType type) {
        if (type.impersonation()) {
            return Set.of();
        }
        return type.holder() == Holder.USER ? EnumSet.of(Grant.TOKEN_USER, Grant.ENTERPRISE_MANAGER)
                : EnumSet.of(Grant.TOKEN_USER, Grant.MANAGER_ROLE);
    }

    private final OwnerService owners;
    private final Permissions permissions;

    TokenAccessPolicy(OwnerService owners, Permissions permissions) {
        this.owners = owners;
        this.permissions = permissions;
    }

    /** Whether the actor may see, revoke, rotate or extend this token. */
    @Transactional(readOnly = true)
    public boolean canManage(Actor actor, AccessToken token) {
        if (actor.admin()) {
            return true;
        }
        return actor.userId() != null && grants(token.type()).stream().anyMatch(g -> allows(g, actor, token));
    }

    /** Throws FORBIDDEN unless the actor may manage the token. */
    public void requireManage(Actor actor, AccessToken token) {
        if (!canManage(actor, token)) {
            throw PatrolException.forbidden("You cannot manage this " + token.type().label() + ".");
        }
    }

    /** The tokens the actor may see and manage, as a condition on {@code access_tokens} that needs no other read. */
    public Condition visibleTo(Actor actor) {
        if (actor.admin()) {
            return DSL.noCondition();
        }
        if (actor.userId() == null) {
            return DSL.falseCondition();
        }
        long me = actor.userId();
        // one branch per grant (and manager role) for all the types it applies to: a short OR for the planner
        Map<Object, Set<TokenType>> types = new LinkedHashMap<>();
        Map<Object, Condition> conditions = new LinkedHashMap<>();
        for (TokenType type : TokenType.values()) {
            for (Grant grant : grants(type)) {
                Object branch = grant == Grant.MANAGER_ROLE ? type.managerRole() : grant;
                types.computeIfAbsent(branch, b -> EnumSet.noneOf(TokenType.class)).add(type);
                conditions.computeIfAbsent(branch, b -> condition(grant, me, type));
            }
        }
        List<Condition> visible = new ArrayList<>();
        conditions.forEach((branch, condition) -> visible.add(
                ACCESS_TOKENS.TYPE.in(types.get(branch)).and(condition)));
        return DSL.or(visible);
    }

    private boolean allows(Grant grant, Actor actor, AccessToken token) {
        return switch (grant) {
            case TOKEN_USER -> token.userId() != null && actor.isUser(token.userId()) && token.projectId() == null
                    && token.groupId() == null;
            case ENTERPRISE_MANAGER -> token.userId() != null && managesEnterpriseUser(actor, owners.user(token.userId()));
            case MANAGER_ROLE -> token.projectId() != null
                    ? permissions.hasRole(actor, owners.project(token.projectId()), token.type().managerRole())
                    : token.groupId() != null
                            && permissions.hasRole(actor, owners.group(token.groupId()), token.type().managerRole());
        };
    }

    private static Condition condition(Grant grant, long me, TokenType type) {
        return switch (grant) {
            case TOKEN_USER -> ACCESS_TOKENS.USER_ID.eq(me).and(ACCESS_TOKENS.PROJECT_ID.isNull())
                    .and(ACCESS_TOKENS.GROUP_ID.isNull());
            case ENTERPRISE_MANAGER -> Memberships.enterpriseUserOfGroupWhereRoleAtLeast(ACCESS_TOKENS.USER_ID, me,
                    ENTERPRISE_MANAGER_ROLE);
            case MANAGER_ROLE -> Memberships.projectWhereRoleAtLeast(ACCESS_TOKENS.PROJECT_ID, me, type.managerRole())
                    .or(Memberships.groupWhereRoleAtLeast(ACCESS_TOKENS.GROUP_ID, me, type.managerRole()));
        };
    }

    /** Whether the actor holds the enterprise manager role on the user's enterprise group (people only, not bots). */
    public boolean managesEnterpriseUser(Actor actor, User user) {
        return user.enterpriseGroupId() != null && !user.kind().isBot()
                && permissions.hasRole(actor, owners.group(user.enterpriseGroupId()), ENTERPRISE_MANAGER_ROLE);
    }
}
