package dev.patrol.owner;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.shared.Caller;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.PatrolException;
import dev.patrol.shared.Payloads;
import dev.patrol.shared.Payloads.Outcome;

/** Serves {@code Group}, {@code Project} and {@code Member}: look-ups by path, creation and memberships. */
@Controller
class GroupController {

    private final OwnerService owners;
    private final OwnerRepository repository;
    private final Permissions permissions;

    GroupController(OwnerService owners, OwnerRepository repository, Permissions permissions) {
        this.owners = owners;
        this.repository = repository;
        this.permissions = permissions;
    }

    record GroupPayload(Group group, List<String> errors) {
    }

    record ProjectPayload(Project project, List<String> errors) {
    }

    record MemberPayload(Member member, List<String> errors) {
    }

    record GroupCreateInput(String parentPath, String path, String name) {
    }

    record ProjectCreateInput(String groupPath, String path, String name) {
    }

    record MemberInput(String userId, String projectId, String groupId, AccessLevel accessLevel) {
    }

    /** Members of the group (any role, direct or inherited) and admins; to others it does not exist. */
    @QueryMapping
    Group group(@Argument String fullPath, @ContextValue Caller caller) {
        return repository.findGroupByPath(fullPath)
                .filter(g -> permissions.roleOf(caller.actor(), g).isPresent())
                .orElseThrow(() -> notFound("Group", fullPath));
    }

    @QueryMapping
    Project project(@Argument String fullPath, @ContextValue Caller caller) {
        return repository.findProjectByPath(fullPath)
                .filter(p -> permissions.roleOf(caller.actor(), p).isPresent())
                .orElseThrow(() -> notFound("Project", fullPath));
    }

    @MutationMapping
    GroupPayload groupCreate(@Argument GroupCreateInput input, @ContextValue Caller caller) {
        Outcome<Group> outcome = Payloads.attempt(() -> owners.createGroup(caller.actor(), input.parentPath(),
                input.path(), input.name()));
        return new GroupPayload(outcome.value(), outcome.errors());
    }

    @MutationMapping
    ProjectPayload projectCreate(@Argument ProjectCreateInput input, @ContextValue Caller caller) {
        Outcome<Project> outcome = Payloads.attempt(() -> owners.createProject(caller.actor(), input.groupPath(),
                input.path(), input.name()));
        return new ProjectPayload(outcome.value(), outcome.errors());
    }

    @MutationMapping
    MemberPayload memberAdd(@Argument MemberInput input, @ContextValue Caller caller) {
        long userId = GlobalId.parse(input.userId(), "User");
        Source source = source(input);
        if (input.accessLevel() == null) {
            return new MemberPayload(null, List.of("An access level is required."));
        }
        Outcome<Member> outcome = Payloads.attempt(() -> owners.addMember(caller.actor(), source.type(), source.id(),
                userId, input.accessLevel()));
        return new MemberPayload(outcome.value(), outcome.errors());
    }

    @MutationMapping
    MemberPayload memberRemove(@Argument MemberInput input, @ContextValue Caller caller) {
        long userId = GlobalId.parse(input.userId(), "User");
        Source source = source(input);
        Outcome<Boolean> outcome = Payloads.attempt(() -> {
            owners.removeMember(caller.actor(), source.type(), source.id(), userId);
            return true;
        });
        return new MemberPayload(null, outcome.errors());
    }

    private record Source(SourceType type, long id) {
    }

    private static Source source(MemberInput input) {
        if ((input.projectId() == null) == (input.groupId() == null)) {
            throw PatrolException.badInput("Give either projectId or groupId.");
        }
        return input.projectId() != null ? new Source(SourceType.PROJECT, GlobalId.parse(input.projectId(), "Project"))
                : new Source(SourceType.GROUP, GlobalId.parse(input.groupId(), "Group"));
    }

    @SchemaMapping(typeName = "Group")
    String id(Group group) {
        return GlobalId.of("Group", group.id());
    }

    @BatchMapping(typeName = "Group")
    Map<Group, Group> parent(List<Group> groups) {
        List<Long> ids = groups.stream().map(Group::parentId).filter(id -> id != null).distinct().toList();
        Map<Long, Group> parents = ids.isEmpty() ? Map.of() : repository.groupsById(ids);
        return groups.stream().filter(g -> g.parentId() != null && parents.containsKey(g.parentId())).distinct()
                .collect(Collectors.toMap(g -> g, g -> parents.get(g.parentId())));
    }

    @SchemaMapping(typeName = "Project")
    String id(Project project) {
        return GlobalId.of("Project", project.id());
    }

    @BatchMapping(typeName = "Project")
    Map<Project, Group> group(List<Project> projects) {
        Map<Long, Group> groups = repository.groupsById(projects.stream().map(Project::groupId).distinct().toList());
        return projects.stream().distinct().collect(Collectors.toMap(p -> p, p -> groups.get(p.groupId())));
    }

    @SchemaMapping(typeName = "Member")
    User user(Member member) {
        return owners.user(member.userId());
    }

    private static PatrolException notFound(String type, String fullPath) {
        return PatrolException.notFound(type + " '" + fullPath + "' does not exist or you are not a member.");
    }
}
