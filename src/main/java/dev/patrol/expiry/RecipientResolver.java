package dev.patrol.expiry;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.Member;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.OwnerRepository.Membership;
import dev.patrol.owner.Project;
import dev.patrol.owner.SourceType;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.owner.UserState;
import dev.patrol.token.AccessToken;
import dev.patrol.token.Holder;
import dev.patrol.token.TokenAccessPolicy;

/**
 * Who hears about a token: a personal token's user; a service account's e-mail, else the members of its
 * enterprise group who may manage its tokens; a project or group token's members whose role there, direct or
 * inherited from its groups, is at least the type's manager role (the same roles as {@link TokenAccessPolicy}).
 * Only active people with an e-mail address. A whole batch of tokens costs a constant number of statements.
 */
@Component
class RecipientResolver {

    /** A person to e-mail. */
    record Recipient(long userId, String username, String email) {
    }

    private final OwnerRepository owners;

    RecipientResolver(OwnerRepository owners) {
        this.owners = owners;
    }

    /** The recipients of each token, by token id; a token nobody can hear about maps to an empty list. */
    Map<Long, List<Recipient>> of(Collection<AccessToken> tokens) {
        Set<Long> userIds = new HashSet<>();
        Set<Long> projectIds = new HashSet<>();
        Set<Long> groupIds = new HashSet<>();
        AccessLevel lowest = TokenAccessPolicy.ENTERPRISE_MANAGER_ROLE;
        for (AccessToken t : tokens) {
            if (t.type().holder() == Holder.USER) {
                userIds.add(t.userId());
            } else if (t.projectId() != null) {
                projectIds.add(t.projectId());
            } else if (t.groupId() != null) {
                groupIds.add(t.groupId());
            }
            if (t.type().managerRole() != null && !t.type().managerRole().atLeast(lowest)) {
                lowest = t.type().managerRole();
            }
        }
        Map<Long, User> users = userIds.isEmpty() ? Map.of() : owners.usersById(userIds);
        users.values().stream().filter(u -> u.kind() == UserKind.SERVICE_ACCOUNT && u.email() == null
                && u.enterpriseGroupId() != null).forEach(u -> groupIds.add(u.enterpriseGroupId()));
        Map<Long, Project> projects = projectIds.isEmpty() ? Map.of() : owners.projectsById(projectIds);
        projects.values().forEach(p -> groupIds.add(p.groupId()));
        Map<Long, Group> groups = groupIds.isEmpty() ? Map.of() : owners.groupsById(groupIds);
        Set<Long> memberGroups = new HashSet<>();
        groups.values().forEach(g -> memberGroups.addAll(g.selfAndAncestorIds()));
        List<Membership> memberships = owners.membersAtLeast(projectIds, memberGroups, lowest).stream()
                .filter(m -> m.user().state() == UserState.ACTIVE && m.user().email() != null
                        && !m.user().kind().isBot())
                .toList();

        Map<Long, List<Recipient>> result = new LinkedHashMap<>();
        for (AccessToken t : tokens) {
            Map<Long, Recipient> people = new LinkedHashMap<>();
            User user = t.userId() == null ? null : users.get(t.userId());
            if (t.type().holder() == Holder.USER) {
                if (user != null && user.state() == UserState.ACTIVE && user.email() != null) {
                    people.put(user.id(), recipient(user));
                } else if (user != null && user.kind() == UserKind.SERVICE_ACCOUNT && user.enterpriseGroupId() != null) {
                    addManagers(people, memberships, null, groups.get(user.enterpriseGroupId()),
                            TokenAccessPolicy.ENTERPRISE_MANAGER_ROLE);
                }
            } else if (t.projectId() != null && projects.containsKey(t.projectId())) {
                Project project = projects.get(t.projectId());
                addManagers(people, memberships, project, groups.get(project.groupId()), t.type().managerRole());
            } else if (t.groupId() != null) {
                addManagers(people, memberships, null, groups.get(t.groupId()), t.type().managerRole());
            }
            result.put(t.id(), List.copyOf(people.values()));
        }
        return result;
    }

    private static Recipient recipient(User user) {
        return new Recipient(user.id(), user.username(), user.email());
    }

    private static void addManagers(Map<Long, Recipient> people, List<Membership> memberships, Project project,
            Group group, AccessLevel required) {
        List<Long> groupChain = group == null ? List.of() : group.selfAndAncestorIds();
        for (Membership m : memberships) {
            Member member = m.member();
            boolean applies = member.sourceType() == SourceType.PROJECT
                    ? project != null && member.sourceId() == project.id()
                    : groupChain.contains(member.sourceId());
            if (applies && member.accessLevel().atLeast(required)) {
                people.putIfAbsent(m.user().id(), recipient(m.user()));
            }
        }
    }
}
