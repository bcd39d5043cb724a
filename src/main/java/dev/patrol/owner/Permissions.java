package dev.patrol.owner;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.patrol.shared.Actor;

/**
 * Effective roles. A membership of a group applies to its subgroups and their projects; the highest
 * role wins. Administrators may do everything; the system actor (scheduled jobs) counts as one.
 */
@Component
public class Permissions {

    private final OwnerRepository owners;

    public Permissions(OwnerRepository owners) {
        this.owners = owners;
    }

    public Optional<AccessLevel> accessLevel(long userId, Group group) {
        return owners.maxGroupAccess(userId, group.selfAndAncestorIds()).map(AccessLevel::of);
    }

    public Optional<AccessLevel> accessLevel(long userId, Project project) {
        Optional<AccessLevel> direct = owners.findMember(SourceType.PROJECT, project.id(), userId)
                .map(Member::accessLevel);
        Optional<AccessLevel> inherited = owners.findGroup(project.groupId()).flatMap(g -> accessLevel(userId, g));
        List<AccessLevel> levels = new ArrayList<>();
        direct.ifPresent(levels::add);
        inherited.ifPresent(levels::add);
        return levels.stream().max(java.util.Comparator.comparingInt(AccessLevel::value));
    }

    /** The actor's role on the project; administrators count as owners. */
    public Optional<AccessLevel> roleOf(Actor actor, Project project) {
        if (actor.admin()) {
            return Optional.of(AccessLevel.OWNER);
        }
        return actor.userId() == null ? Optional.empty() : accessLevel(actor.userId(), project);
    }

    /** The actor's role on the group; administrators count as owners. */
    public Optional<AccessLevel> roleOf(Actor actor, Group group) {
        if (actor.admin()) {
            return Optional.of(AccessLevel.OWNER);
        }
        return actor.userId() == null ? Optional.empty() : accessLevel(actor.userId(), group);
    }

    public boolean hasRole(Actor actor, Project project, AccessLevel required) {
        return roleOf(actor, project).map(l -> l.atLeast(required)).orElse(false);
    }

    public boolean hasRole(Actor actor, Group group, AccessLevel required) {
        return roleOf(actor, group).map(l -> l.atLeast(required)).orElse(false);
    }
}
