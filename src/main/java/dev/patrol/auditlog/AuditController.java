package dev.patrol.auditlog;

import java.util.List;
import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.audit.AuditEvent;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.User;
import dev.patrol.shared.Caller;
import dev.patrol.shared.Connection;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.PageRequest;

/** Serves {@code auditEvents} and the {@code AuditEvent} type. */
@Controller
class AuditController {

    private final AuditReader reader;
    private final OwnerRepository owners;

    AuditController(AuditReader reader, OwnerRepository owners) {
        this.reader = reader;
        this.owners = owners;
    }

    record AuditEventFilter(String groupPath, String targetId, String action, String actorUsername) {
    }

    @QueryMapping
    Connection<AuditEvent> auditEvents(@Argument AuditEventFilter filter, @Argument Integer first,
            @Argument String after, @ContextValue Caller caller) {
        AuditEventFilter f = filter == null ? new AuditEventFilter(null, null, null, null) : filter;
        GlobalId target = f.targetId() == null ? null : GlobalId.parse(f.targetId());
        return reader.events(caller.actor(), f.groupPath(), target, f.action(), f.actorUsername(),
                PageRequest.of(first, after, null, null));
    }

    @SchemaMapping(typeName = "AuditEvent")
    String id(AuditEvent event) {
        return GlobalId.of("AuditEvent", event.id());
    }

    @SchemaMapping(typeName = "AuditEvent")
    String targetId(AuditEvent event) {
        return event.targetId() == null ? null : GlobalId.of(event.targetType(), event.targetId());
    }

    @BatchMapping(typeName = "AuditEvent")
    Map<AuditEvent, User> actor(List<AuditEvent> events) {
        List<Long> ids = events.stream().map(AuditEvent::actorId).filter(id -> id != null).distinct().toList();
        Map<Long, User> users = ids.isEmpty() ? Map.of() : owners.usersById(ids);
        Map<AuditEvent, User> result = new java.util.HashMap<>();
        events.forEach(e -> {
            if (e.actorId() != null && users.containsKey(e.actorId())) {
                result.put(e, users.get(e.actorId()));
            }
        });
        return result;
    }
}
