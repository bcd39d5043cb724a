package dev.patrol.owner;

import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.shared.Caller;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.Payloads;
import dev.patrol.shared.Payloads.Outcome;

/** Serves {@code resourceCreate} and the {@code Resource} type. */
@Controller
class ResourceController {

    private final OwnerService owners;

    ResourceController(OwnerService owners) {
        this.owners = owners;
    }

    record ResourceCreateInput(ResourceKind kind, String name, String projectId, String groupId, String userId) {
    }

    record ResourcePayload(Resource resource, List<String> errors) {
    }

    @MutationMapping
    ResourcePayload resourceCreate(@Argument ResourceCreateInput input, @ContextValue Caller caller) {
        Long projectId = input.projectId() == null ? null : GlobalId.parse(input.projectId(), "Project");
        Long groupId = input.groupId() == null ? null : GlobalId.parse(input.groupId(), "Group");
        Long userId = input.userId() != null ? Long.valueOf(GlobalId.parse(input.userId(), "User"))
                : projectId == null && groupId == null ? caller.actor().userId() : null;
        Outcome<Resource> outcome = Payloads.attempt(() -> owners.createResource(caller.actor(), input.kind(),
                input.name(), projectId, groupId, userId));
        return new ResourcePayload(outcome.value(), outcome.errors());
    }

    @SchemaMapping(typeName = "Resource")
    String id(Resource resource) {
        return GlobalId.of(OwnerService.modelName(resource.kind()), resource.id());
    }

    @SchemaMapping(typeName = "Resource")
    Project project(Resource resource) {
        return resource.projectId() == null ? null : owners.project(resource.projectId());
    }

    @SchemaMapping(typeName = "Resource")
    Group group(Resource resource) {
        return resource.groupId() == null ? null : owners.group(resource.groupId());
    }
}
