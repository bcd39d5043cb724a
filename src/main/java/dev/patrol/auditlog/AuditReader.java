package dev.patrol.auditlog;

import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.audit.AuditEvent;
import dev.patrol.audit.AuditQuery;
import dev.patrol.audit.AuditService;
import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Permissions;
import dev.patrol.shared.Actor;
import dev.patrol.shared.Connection;
import dev.patrol.shared.Cursors;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.PageRequest;
import dev.patrol.shared.PatrolException;

/**
 * Who may read which audit events: admins all; Owners of a top-level group the events about that group and
 * everything in it (events carry their target's top-level group). Newest first, keyset on the id.
 */
@Service
class AuditReader {

    private static final String SORT = "ID_DESC";

    private final AuditService audit;
    private final OwnerService owners;
    private final Permissions permissions;

    AuditReader(AuditService audit, OwnerService owners, Permissions permissions) {
        this.audit = audit;
        this.owners = owners;
        this.permissions = permissions;
    }

    @Transactional(readOnly = true)
    Connection<AuditEvent> events(Actor actor, String groupPath, GlobalId target, String action,
            String actorUsername, PageRequest page) {
        Long groupId = null;
        if (groupPath != null) {
            Group root = owners.group(owners.groupByPath(groupPath).rootId());
            if (!permissions.hasRole(actor, root, AccessLevel.OWNER)) {
                throw PatrolException.forbidden("You need the Owner role on '" + root.fullPath()
                        + "' to read its audit events.");
            }
            groupId = root.id();
        } else if (!actor.admin()) {
            throw PatrolException.forbidden("Only administrators can read all audit events; group Owners pass "
                    + "filter.groupPath.");
        }
        Long actorId = actorUsername == null ? null : owners.userByUsername(actorUsername).id();
        Long beforeId = null;
        if (page.cursor() != null) {
            try {
                beforeId = Long.parseLong(Cursors.decode(page.cursor(), SORT, 1).getFirst());
            } catch (NumberFormatException e) {
                throw PatrolException.badInput("The cursor is not valid for this list and sort order.");
            }
        }
        AuditQuery query = new AuditQuery(target == null ? null : target.type(), target == null ? null : target.id(),
                action, actorId, groupId, beforeId);
        List<AuditEvent> rows = page.size() == 0 ? List.of() : audit.list(query, page.size() + 1);
        // AuditEventConnection has no count field: counting a log that only grows is not worth a scan
        return Connection.of(rows, page.size(), false, page.cursor() != null,
                e -> Cursors.encode(SORT, e.id()), () -> {
                    throw new UnsupportedOperationException("audit event lists have no count");
                });
    }

}
