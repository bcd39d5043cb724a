package dev.patrol.rest;

import org.springframework.stereotype.Component;

import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;

/**
 * The {@code :id} of a path: a project or group by number or by full path ({@code acme/api}, sent as
 * {@code acme%2Fapi}), a user by number. Whatever is not one is GitLab's 404 for that kind of thing.
 */
@Component
class Holders {

    private final OwnerRepository owners;

    Holders(OwnerRepository owners) {
        this.owners = owners;
    }

    Project project(String id) {
        return (Ids.isNumeric(id) ? owners.findProject(Long.parseLong(id)) : owners.findProjectByPath(id))
                .orElseThrow(() -> RestError.notFound("Project"));
    }

    Group group(String id) {
        return (Ids.isNumeric(id) ? owners.findGroup(Long.parseLong(id)) : owners.findGroupByPath(id))
                .orElseThrow(() -> RestError.notFound("Group"));
    }

    User user(String id) {
        if (!Ids.isNumeric(id)) {
            throw RestError.notFound("User");
        }
        return owners.findUser(Long.parseLong(id)).orElseThrow(() -> RestError.notFound("User"));
    }
}
