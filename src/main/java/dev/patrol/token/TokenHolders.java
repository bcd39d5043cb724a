package dev.patrol.token;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Permissions;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.Actor;
import dev.patrol.shared.PatrolException;

/**
 * Who holds a new token and whether the actor may give it to them: the user, project, group or resource its type
 * belongs to ({@link TokenType#holder()}), the fields that holder takes, and the role the actor needs there.
 */
@Component
class TokenHolders {

    /** The holder of a new token, its top-level group, and the actor's role where the holder is a project or group. */
    record Holding(User owner, Long userId, Long projectId, Long groupId, Long resourceId, Long rootGroupId,
            AccessLevel actorRole) {
    }

    private final OwnerService owners;
    private final Permissions permissions;
    private final TokenAccessPolicy policy;

    TokenHolders(OwnerService owners, Permissions permissions, TokenAccessPolicy policy) {
        this.owners = owners;
        this.permissions = permissions;
        this.policy = policy;
    }

    Holding resolve(Actor actor, NewToken r) {
        TokenType type = r.type();
        return switch (type.holder()) {
            case USER -> {
                onlyFields(type, r, r.userId() != null, false, false, false);
                long userId = r.userId() != null ? r.userId() : requireUserActor(actor);
                User owner = owners.user(userId);
                if (owner.kind().isBot()) {
                    throw PatrolException.badInput("Bot users get tokens only through their project or group.");
                }
                if (owner.isBlocked()) {
                    throw PatrolException.badInput("User '" + owner.username() + "' is blocked.");
                }
                boolean allowed = type.impersonation()
                        ? actor.admin()
                        : actor.admin() || actor.isUser(userId) || ownsServiceAccount(actor, owner);
                if (!allowed) {
                    throw PatrolException.forbidden(type.impersonation()
                            ? "Only administrators can create impersonation tokens."
                            : "You can only create " + type.label() + "s for yourself.");
                }
                yield new Holding(owner, userId, null, null, null, owner.enterpriseGroupId(), null);
            }
            case PROJECT_BOT, PROJECT -> {
                onlyFields(type, r, false, true, false, false);
                Project project = owners.project(require(r.projectId(), "projectId", type));
                AccessLevel role = requireRole(actor, project, type.managerRole());
                yield new Holding(null, null, project.id(), null, null, project.rootId(), role);
            }
            case GROUP_BOT, TOP_LEVEL_GROUP -> {
                onlyFields(type, r, false, false, true, false);
                Group group = owners.group(require(r.groupId(), "groupId", type));
                if (type.holder() == Holder.TOP_LEVEL_GROUP && !group.isTopLevel()) {
                    throw PatrolException.badInput("A " + type.label() + " belongs to a top-level group.");
                }
                AccessLevel role = requireRole(actor, group, type.managerRole());
                yield new Holding(null, null, null, group.id(), null, group.rootId(), role);
            }
            case PROJECT_OR_GROUP -> {
                onlyFields(type, r, false, true, true, false);
                if ((r.projectId() == null) == (r.groupId() == null)) {
                    throw PatrolException.badInput("A " + type.label() + " belongs to either a project or a group.");
                }
                if (r.projectId() != null) {
                    Project project = owners.project(r.projectId());
                    requireRole(actor, project, type.managerRole());
                    yield new Holding(null, null, project.id(), null, null, project.rootId(), null);
                }
                Group group = owners.group(r.groupId());
                requireRole(actor, group, type.managerRole());
                yield new Holding(null, null, null, group.id(), null, group.rootId(), null);
            }
            case RESOURCE -> {
                onlyFields(type, r, false, false, false, true);
                Resource resource = owners.resource(require(r.resourceId(), "resourceId", type));
                if (resource.kind() != type.resourceKind()) {
                    throw PatrolException.badInput("Resource " + resource.id() + " is a "
                            + resource.kind().label() + ", not a "
                            + type.resourceKind().label() + ".");
                }
                if (type.validOnlyWhileResourceRuns() && !Resource.RUNNING.equals(resource.state())) {
                    throw PatrolException.badInput("CI job " + resource.id() + " is not running.");
                }
                Long rootGroupId = null;
                if (resource.projectId() != null) {
                    Project project = owners.project(resource.projectId());
                    requireRole(actor, project, type.managerRole());
                    rootGroupId = project.rootId();
                } else if (resource.groupId() != null) {
                    Group group = owners.group(resource.groupId());
                    requireRole(actor, group, type.managerRole());
                    rootGroupId = group.rootId();
                } else if (!actor.admin() && !(resource.userId() != null && actor.isUser(resource.userId()))) {
                    throw PatrolException.forbidden("You cannot manage the tokens of this "
                            + resource.kind().label() + ".");
                }
                yield new Holding(null, resource.userId(), resource.projectId(), resource.groupId(), resource.id(),
                        rootGroupId, null);
            }
        };
    }

    /** The role a project or group access token gets: at most the actor's own (administrators any). */
        static Integer validAccessLevel(Actor actor, TokenType type, Integer requested, Holding holding) {
        if (!type.hasRole()) {
            if (requested != null) {
                throw PatrolException.badInput("A " + type.label() + " has no role.");
            }
            return null;
        }
        AccessLevel level = requested == null ? AccessLevel.MAINTAINER : AccessLevel.of(requested);
        if (!actor.admin() && !holding.actorRole().atLeast(level)) {
            throw PatrolException.forbidden("You cannot create a token with a role above your own ("
                    + holding.actorRole().label() + ").");
        }
        return level.value();
    }

    private static void onlyFields(TokenType type, NewToken r, boolean user, boolean project, boolean group,
            boolean resource) {
        List<String> extra = new ArrayList<>();
        if (!user && r.userId() != null) {
            extra.add("userId");
        }
        if (!project && r.projectId() != null) {
            extra.add("projectId");
        }
        if (!group && r.groupId() != null) {
            extra.add("groupId");
        }
        if (!resource && r.resourceId() != null) {
            extra.add("resourceId");
        }
        if (!extra.isEmpty()) {
            throw PatrolException.badInput("A " + type.label() + " does not take " + String.join(", ", extra) + ".");
        }
    }

    private static long require(Long value, String field, TokenType type) {
        if (value == null) {
            throw PatrolException.badInput("A " + type.label() + " needs " + field + ".");
        }
        return value;
    }

    private static long requireUserActor(Actor actor) {
        if (actor.userId() == null) {
            throw PatrolException.badInput("A user is required.");
        }
        return actor.userId();
    }

    private AccessLevel requireRole(Actor actor, Project project, AccessLevel required) {
        return atLeast(permissions.roleOf(actor, project), required, project.fullPath());
    }

    private AccessLevel requireRole(Actor actor, Group group, AccessLevel required) {
        return atLeast(permissions.roleOf(actor, group), required, group.fullPath());
    }

    private static AccessLevel atLeast(Optional<AccessLevel> role, AccessLevel required, String path) {
        if (role.isEmpty() || !role.get().atLeast(required)) {
            throw PatrolException.forbidden("You need at least the " + required.label() + " role on '" + path + "'.");
        }
        return role.get();
    }

    /** Owners of a service account's enterprise group issue its personal tokens (GitLab's service accounts). */
    private boolean ownsServiceAccount(Actor actor, User owner) {
        return owner.kind() == UserKind.SERVICE_ACCOUNT && policy.managesEnterpriseUser(actor, owner);
    }
}
