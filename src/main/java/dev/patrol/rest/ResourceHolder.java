package dev.patrol.rest;

import dev.patrol.owner.Group;
import dev.patrol.owner.Project;
import dev.patrol.token.AccessToken;
import dev.patrol.token.TokenListScope;
import dev.patrol.token.TokenType;

import java.util.Set;

/** The project or group of a {@code /projects/:id/...} or {@code /groups/:id/...} path. */
record ResourceHolder(Long projectId, Long groupId) {

    static ResourceHolder of(String kind, String id, Holders holders) {
        return switch (kind) {
            case "projects" -> {
                Project project = holders.project(id);
                yield new ResourceHolder(project.id(), null);
            }
            case "groups" -> {
                Group group = holders.group(id);
                yield new ResourceHolder(null, group.id());
            }
            default -> throw RestError.notFound("Resource");
        };
    }

    boolean isProject() {
        return projectId != null;
    }

    /** Its access tokens' type: the project's or the group's bot tokens. */
    TokenType accessTokenType() {
        return isProject() ? TokenType.PROJECT : TokenType.GROUP;
    }

    TokenListScope scope(Set<TokenType> types) {
        return isProject() ? TokenListScope.ofProject(projectId, types) : TokenListScope.ofGroup(groupId, types);
    }

    boolean holds(AccessToken token) {
        return isProject() ? projectId.equals(token.projectId()) : groupId.equals(token.groupId());
    }

    /** As GitLab names it in a 404: "Project" or "Group". */
    String label() {
        return isProject() ? "Project" : "Group";
    }
}
