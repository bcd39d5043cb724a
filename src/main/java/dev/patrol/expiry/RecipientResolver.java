package dev.patrol.expiry;

import static patrol.jooq.Tables.MEMBERS;
import static patrol.jooq.Tables.USERS;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.Project;
import dev.patrol.owner.SourceType;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.owner.UserState;
import dev.patrol.token.AccessToken;

/**
 * Who hears about a token: a personal token's user; a service account's e-mail, else the Owners of its
 * top-level group; a project token's Maintainers and Owners, direct and inherited from its groups; a group
 * token's Owners, direct and inherited. Only active people with an e-mail address. A whole batch of tokens
 * costs a constant number of statements.
 */
@Component
class RecipientResolver {

    /** A person to e-mail. */
    record Recipient(long userId, String username, String email) {
    }

    private record Membership(SourceType type, long sourceId, int level, Recipient recipient) {
    }

    private final DSLContext dsl;
    private final OwnerRepository owners;

    RecipientResolver(DSLContext dsl, OwnerRepository owners) {
        this.dsl = dsl;
        this.owners = owners;
    }

    /** The recipients of each token, by token id; a token nobody can hear about maps to an empty list. */
    Map<Long, List<Recipient>> of(Collection<AccessToken> tokens) {
        Set<Long> userIds = new HashSet<>();
        Set<Long> projectIds = new HashSet<>();
        Set<Long> groupIds = new HashSet<>();
        for (AccessToken t : tokens) {
            switch (t.type().holder()) {
                case USER -> userIds.add(t.userId());
                case PROJECT_BOT -> projectIds.add(t.projectId());
                case GROUP_BOT -> groupIds.add(t.groupId());
                default -> {
                    if (t.projectId() != null) {
                        projectIds.add(t.projectId());
                    } else if (t.groupId() != null) {
                        groupIds.add(t.groupId());
                    }
                }
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
        List<Membership> memberships = managers(projectIds, memberGroups);

        Map<Long, List<Recipient>> result = new LinkedHashMap<>();
        for (AccessToken t : tokens) {
            Map<Long, Recipient> people = new LinkedHashMap<>();
            User user = t.userId() == null ? null : users.get(t.userId());
            if (t.type().holder() == dev.patrol.token.Holder.USER) {
                if (user != null && user.state() == UserState.ACTIVE && user.email() != null) {
                    people.put(user.id(), new Recipient(user.id(), user.username(), user.email()));
                } else if (user != null && user.kind() == UserKind.SERVICE_ACCOUNT && user.enterpriseGroupId() != null) {
                    addManagers(people, memberships, null, groups.get(user.enterpriseGroupId()), AccessLevel.OWNER);
                }
            } else if (t.projectId() != null && projects.containsKey(t.projectId())) {
                Project project = projects.get(t.projectId());
                addManagers(people, memberships, project, groups.get(project.groupId()), AccessLevel.MAINTAINER);
            } else if (t.groupId() != null) {
                addManagers(people, memberships, null, groups.get(t.groupId()), AccessLevel.OWNER);
            }
            result.put(t.id(), List.copyOf(people.values()));
        }
        return result;
    }

    private static void addManagers(Map<Long, Recipient> people, List<Membership> memberships, Project project,
            Group group, AccessLevel required) {
        List<Long> groupChain = group == null ? List.of() : group.selfAndAncestorIds();
        for (Membership m : memberships) {
            boolean applies = m.type() == SourceType.PROJECT
                    ? project != null && m.sourceId() == project.id()
                    : groupChain.contains(m.sourceId());
            if (applies && m.level() >= required.value()) {
                people.putIfAbsent(m.recipient().userId(), m.recipient());
            }
        }
    }

    /** Active people with an e-mail who are at least Maintainers of these projects or groups. */
    private List<Membership> managers(Set<Long> projectIds, Set<Long> groupIds) {
        Condition source = DSL.falseCondition();
        if (!projectIds.isEmpty()) {
            source = source.or(MEMBERS.SOURCE_TYPE.eq(SourceType.PROJECT.name()).and(MEMBERS.SOURCE_ID.in(projectIds)));
        }
        if (!groupIds.isEmpty()) {
            source = source.or(MEMBERS.SOURCE_TYPE.eq(SourceType.GROUP.name()).and(MEMBERS.SOURCE_ID.in(groupIds)));
        }
        if (projectIds.isEmpty() && groupIds.isEmpty()) {
            return List.of();
        }
        return dsl.select(MEMBERS.SOURCE_TYPE, MEMBERS.SOURCE_ID, MEMBERS.ACCESS_LEVEL, USERS.ID, USERS.USERNAME,
                        USERS.EMAIL)
                .from(MEMBERS).join(USERS).on(USERS.ID.eq(MEMBERS.USER_ID))
                .where(source, MEMBERS.ACCESS_LEVEL.ge(AccessLevel.MAINTAINER.value()),
                        USERS.STATE.eq(UserState.ACTIVE.name()), USERS.EMAIL.isNotNull(),
                        USERS.KIND.in(UserKind.HUMAN.name(), UserKind.SERVICE_ACCOUNT.name()))
                .orderBy(USERS.ID)
                .fetch(r -> new Membership(SourceType.valueOf(r.value1()), r.value2(), r.value3(),
                        new Recipient(r.value4(), r.value5(), r.value6())));
    }
}
