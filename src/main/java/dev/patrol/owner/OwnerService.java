package dev.patrol.owner;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.shared.Actor;
import dev.patrol.shared.PatrolException;

/** Creates and changes users, groups, projects and memberships, with permission checks and audit events. */
@Service
public class OwnerService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,254}");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,254}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final OwnerRepository owners;
    private final Permissions permissions;
    private final AuditService audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public OwnerService(OwnerRepository owners, Permissions permissions, AuditService audit, Clock clock,
            ApplicationEventPublisher events) {
        this.owners = owners;
        this.permissions = permissions;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    // look-ups

    @Transactional(readOnly = true)
    public User user(long id) {
        return owners.findUser(id).orElseThrow(() -> PatrolException.notFound("User " + id + " does not exist."));
    }

    @Transactional(readOnly = true)
    public User userByUsername(String username) {
        return owners.findUserByUsername(username)
                .orElseThrow(() -> PatrolException.notFound("User '" + username + "' does not exist."));
    }

    @Transactional(readOnly = true)
    public Group group(long id) {
        return owners.findGroup(id).orElseThrow(() -> PatrolException.notFound("Group " + id + " does not exist."));
    }

    @Transactional(readOnly = true)
    public Group groupByPath(String fullPath) {
        return owners.findGroupByPath(fullPath)
                .orElseThrow(() -> PatrolException.notFound("Group '" + fullPath + "' does not exist."));
    }

    @Transactional(readOnly = true)
    public Project project(long id) {
        return owners.findProject(id)
                .orElseThrow(() -> PatrolException.notFound("Project " + id + " does not exist."));
    }

    @Transactional(readOnly = true)
    public Project projectByPath(String fullPath) {
        return owners.findProjectByPath(fullPath)
                .orElseThrow(() -> PatrolException.notFound("Project '" + fullPath + "' does not exist."));
    }

    @Transactional(readOnly = true)
    public Resource resource(long id) {
        return owners.findResource(id)
                .orElseThrow(() -> PatrolException.notFound("Resource " + id + " does not exist."));
    }

    // users

    /** Creates a human user or a service account; admins only, or a top-level group's owner for its service accounts. */
    @Transactional
    public User createUser(Actor actor, NewUser request) {
        if (request.kind().isBot()) {
            throw PatrolException.badInput("Bot users are created with their project or group access token.");
        }
        Group enterpriseGroup = request.enterpriseGroupId() == null ? null : group(request.enterpriseGroupId());
        if (enterpriseGroup != null && !enterpriseGroup.isTopLevel()) {
            throw PatrolException.badInput("Only a top-level group can manage users.");
        }
        boolean groupOwnerAddingServiceAccount = request.kind() == UserKind.SERVICE_ACCOUNT && enterpriseGroup != null
                && !request.admin() && permissions.hasRole(actor, enterpriseGroup, AccessLevel.OWNER);
        if (!actor.admin() && !groupOwnerAddingServiceAccount) {
            throw PatrolException.forbidden(request.kind() == UserKind.SERVICE_ACCOUNT
                    ? "Only administrators and owners of the top-level group can create service accounts."
                    : "Only administrators can create users.");
        }
        validateUsername(request.username());
        String name = request.name() == null || request.name().isBlank() ? request.username() : request.name().strip();
        if (name.length() > 255) {
            throw PatrolException.badInput("Name is too long (at most 255 characters).");
        }
        if (request.email() != null && !request.email().isBlank() && !EMAIL.matcher(request.email()).matches()) {
            throw PatrolException.badInput("E-mail '" + request.email() + "' is not a valid address.");
        }
        String email = request.email() == null || request.email().isBlank() ? null : request.email().strip();
        LocalDateTime now = LocalDateTime.now(clock);
        long id = owners.insertUser(request.username(), name, email, request.kind(), request.admin(),
                request.enterpriseGroupId(), now);
        User user = user(id);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", request.kind().name().toLowerCase());
        if (request.admin()) {
            details.put("admin", true);
        }
        audit.record(actor, "user_created", target(user), details);
        return user;
    }

    /**
     * Creates the bot user behind a project or group access token and makes it a member with the token's
     * role. Called by the token service inside its transaction.
     */
    @Transactional
    public User createBot(Actor actor, SourceType sourceType, long sourceId, AccessLevel role, long rootGroupId) {
        UserKind kind = sourceType == SourceType.PROJECT ? UserKind.PROJECT_BOT : UserKind.GROUP_BOT;
        String prefix = sourceType.name().toLowerCase() + "_" + sourceId + "_bot_";
        String username = prefix + java.util.HexFormat.of().toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextInt());
        LocalDateTime now = LocalDateTime.now(clock);
        long id = owners.insertUser(username, "Bot of " + sourceType.name().toLowerCase() + " " + sourceId, null, kind,
                false, rootGroupId, now);
        owners.upsertMember(sourceType, sourceId, id, role, now);
        User bot = user(id);
        audit.record(actor, "user_created", target(bot), Map.of("kind", kind.name().toLowerCase()));
        return bot;
    }

    @Transactional
    public User block(Actor actor, long userId) {
        return changeState(actor, userId, UserState.BLOCKED, "user_blocked");
    }

    @Transactional
    public User unblock(Actor actor, long userId) {
        return changeState(actor, userId, UserState.ACTIVE, "user_unblocked");
    }

    private User changeState(Actor actor, long userId, UserState state, String action) {
        if (!actor.admin()) {
            throw PatrolException.forbidden("Only administrators can block or unblock users.");
        }
        User user = user(userId);
        if (actor.isUser(userId)) {
            throw PatrolException.badInput("You cannot block or unblock yourself.");
        }
        if (!owners.updateState(userId, state)) {
            throw PatrolException.conflict("User '" + user.username() + "' is already "
                    + state.name().toLowerCase() + ".");
        }
        audit.record(actor, action, target(user), Map.of());
        events.publishEvent(new UserStateChanged(userId, state));
        return user(userId);
    }

    // groups and projects

    @Transactional
    public Group createGroup(Actor actor, String parentPath, String path, String name) {
        Group parent = parentPath == null || parentPath.isBlank() ? null : groupByPath(parentPath);
        if (parent == null ? !actor.admin() : !permissions.hasRole(actor, parent, AccessLevel.OWNER)) {
            throw PatrolException.forbidden(parent == null
                    ? "Only administrators can create top-level groups."
                    : "You need the Owner role on '" + parent.fullPath() + "' to create a subgroup.");
        }
        validatePath(path);
        String fullPath = parent == null ? path : parent.fullPath() + "/" + path;
        if (owners.groupPathTaken(fullPath)) {
            throw PatrolException.conflict("The path '" + fullPath + "' is already taken.");
        }
        LocalDateTime now = LocalDateTime.now(clock);
        Group group = owners.insertGroup(parent, blankTo(name, path), path, now);
        if (actor.userId() != null) {
            owners.upsertMember(SourceType.GROUP, group.id(), actor.userId(), AccessLevel.OWNER, now);
        }
        audit.record(actor, "group_created", new AuditTarget("Group", group.id(), group.fullPath(), group.rootId()),
                Map.of());
        return group;
    }

    @Transactional
    public Project createProject(Actor actor, String groupPath, String path, String name) {
        Group group = groupByPath(groupPath);
        if (!permissions.hasRole(actor, group, AccessLevel.MAINTAINER)) {
            throw PatrolException.forbidden("You need at least the Maintainer role on '" + group.fullPath()
                    + "' to create a project in it.");
        }
        validatePath(path);
        String fullPath = group.fullPath() + "/" + path;
        if (owners.groupPathTaken(fullPath)) {
            throw PatrolException.conflict("The path '" + fullPath + "' is already taken.");
        }
        Project project = owners.insertProject(group, blankTo(name, path), path, LocalDateTime.now(clock));
        audit.record(actor, "project_created",
                new AuditTarget("Project", project.id(), project.fullPath(), project.rootId()), Map.of());
        return project;
    }

    /** Adds a member or changes a member's role. Nobody can grant a role above their own. */
    @Transactional
    public Member addMember(Actor actor, SourceType type, long sourceId, long userId, AccessLevel level) {
        User user = user(userId);
        if (user.kind().isBot()) {
            throw PatrolException.badInput("Bot users belong to their token's project or group only.");
        }
        AuditTarget target = checkMembershipChange(actor, type, sourceId, level);
        owners.upsertMember(type, sourceId, userId, level, LocalDateTime.now(clock));
        audit.record(actor, "member_added", target,
                Map.of("user", user.username(), "access_level", level.value()));
        return owners.findMember(type, sourceId, userId).orElseThrow();
    }

    @Transactional
    public void removeMember(Actor actor, SourceType type, long sourceId, long userId) {
        User user = user(userId);
        AuditTarget target = checkMembershipChange(actor, type, sourceId, AccessLevel.GUEST);
        if (!owners.deleteMember(type, sourceId, userId)) {
            throw PatrolException.notFound("User '" + user.username() + "' is not a direct member of " + target.name()
                    + ".");
        }
        audit.record(actor, "member_removed", target, Map.of("user", user.username()));
    }

    private AuditTarget checkMembershipChange(Actor actor, SourceType type, long sourceId, AccessLevel level) {
        AccessLevel required = type == SourceType.PROJECT ? AccessLevel.MAINTAINER : AccessLevel.OWNER;
        AccessLevel own;
        AuditTarget target;
        if (type == SourceType.PROJECT) {
            Project project = project(sourceId);
            own = permissions.roleOf(actor, project).orElse(null);
            target = new AuditTarget("Project", project.id(), project.fullPath(), project.rootId());
        } else {
            Group group = group(sourceId);
            own = permissions.roleOf(actor, group).orElse(null);
            target = new AuditTarget("Group", group.id(), group.fullPath(), group.rootId());
        }
        if (own == null || !own.atLeast(required)) {
            throw PatrolException.forbidden("You need at least the " + required.label() + " role on '" + target.name()
                    + "' to manage its members.");
        }
        if (!own.atLeast(level)) {
            throw PatrolException.forbidden("You cannot grant a role above your own (" + own.label() + ").");
        }
        return target;
    }

    // resources (runners, agents, applications, jobs, workspaces)

    @Transactional
    public Resource createResource(Actor actor, ResourceKind kind, String name, Long projectId, Long groupId,
            Long userId) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw PatrolException.badInput("A " + kind.label()
                    + " needs a name of 1 to 255 characters.");
        }
        Long rootGroupId = null;
        if (projectId != null) {
            Project project = project(projectId);
            rootGroupId = project.rootId();
            if (!permissions.hasRole(actor, project, AccessLevel.MAINTAINER)) {
                throw PatrolException.forbidden("You need at least the Maintainer role on '" + project.fullPath() + "'.");
            }
        } else if (groupId != null) {
            Group group = group(groupId);
            rootGroupId = group.rootId();
            if (!permissions.hasRole(actor, group, AccessLevel.OWNER)) {
                throw PatrolException.forbidden("You need the Owner role on '" + group.fullPath() + "'.");
            }
        } else if (!actor.admin() && !(userId != null && actor.isUser(userId))) {
            throw PatrolException.forbidden("Only administrators can create instance-wide " + kind.label() + "s.");
        }
        String state = kind == ResourceKind.CI_JOB ? Resource.RUNNING : "ACTIVE";
        long id = owners.insertResource(kind, name.strip(), projectId, groupId, userId, state, LocalDateTime.now(clock));
        Resource resource = resource(id);
        audit.record(actor, "resource_created", new AuditTarget(modelName(kind), id, resource.name(), rootGroupId),
                Map.of());
        return resource;
    }

    public static String modelName(ResourceKind kind) {
        return switch (kind) {
            case RUNNER -> "Runner";
            case CLUSTER_AGENT -> "ClusterAgent";
            case OAUTH_APPLICATION -> "OauthApplication";
            case CI_JOB -> "CiJob";
            case WORKSPACE -> "Workspace";
        };
    }

    public static AuditTarget target(User user) {
        return new AuditTarget("User", user.id(), user.username(), user.enterpriseGroupId());
    }

    private void validateUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw PatrolException.badInput("Username must be 1 to 255 letters, digits, '_', '.' or '-', "
                    + "and start with a letter, digit or '_'.");
        }
        if (owners.usernameTaken(username)) {
            throw PatrolException.conflict("Username '" + username + "' is already taken.");
        }
    }

    private static void validatePath(String path) {
        if (path == null || !PATH.matcher(path).matches()) {
            throw PatrolException.badInput("Path must be 1 to 255 letters, digits, '_', '.' or '-'.");
        }
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

}
