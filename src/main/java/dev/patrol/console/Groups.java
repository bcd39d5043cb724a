package dev.patrol.console;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.SourceType;

/** Groups, projects and memberships for scripts, through the owner service (audited). */
public final class Groups {

    private final ScriptContext context;

    Groups(ScriptContext context) {
        this.context = context;
    }

    public Group findByPath(String fullPath) {
        return context.services().ownerRepository().findGroupByPath(fullPath).orElse(null);
    }

    public Project findProject(String fullPath) {
        return context.services().ownerRepository().findProjectByPath(fullPath).orElse(null);
    }

    /** Creates a group under {@code parentPath}, or a top-level group when it is null. */
    public Group create(String parentPath, String path) {
        return context.services().owners().createGroup(context.actor(), parentPath, path, null);
    }

    public Project createProject(String groupPath, String path) {
        return context.services().owners().createProject(context.actor(), groupPath, path, null);
    }

    /** Creates a runner, agent, OAuth application, CI job or workspace of a project (kind: RUNNER, CLUSTER_AGENT, ...). */
    public Resource createResource(String kind, Project project, String name) {
        return context.services().owners().createResource(context.actor(), ResourceKind.valueOf(kind.toUpperCase()),
                name, project.id(), null, null);
    }

    /** Adds a user to a group ({@code role}: GUEST, REPORTER, DEVELOPER, MAINTAINER, OWNER). */
    public void addMember(Group group, UserHandle user, String role) {
        context.services().owners().addMember(context.actor(), SourceType.GROUP, group.id(), user.getId(),
                AccessLevel.valueOf(role.toUpperCase()));
    }

    public void addMember(Project project, UserHandle user, String role) {
        context.services().owners().addMember(context.actor(), SourceType.PROJECT, project.id(), user.getId(),
                AccessLevel.valueOf(role.toUpperCase()));
    }
}
