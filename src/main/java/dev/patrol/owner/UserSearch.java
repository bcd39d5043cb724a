package dev.patrol.owner;

import static patrol.jooq.Tables.USERS;

import java.util.List;
import java.util.Map;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.patrol.shared.Actor;
import dev.patrol.shared.Connection;
import dev.patrol.shared.Cursors;
import dev.patrol.shared.PageRequest;
import dev.patrol.shared.PatrolException;

/** The user list for admins: filtered by kind, state and name, in id order, paged by keyset on the primary key. */
@Service
public class UserSearch {

    private static final String SORT = "ID_ASC";

    private final DSLContext dsl;
    private final OwnerRepository owners;

    public UserSearch(DSLContext dsl, OwnerRepository owners) {
        this.dsl = dsl;
        this.owners = owners;
    }

    @Transactional(readOnly = true)
    public Connection<User> search(Actor actor, String search, UserKind kind, UserState state, PageRequest page) {
        if (!actor.admin()) {
            throw PatrolException.forbidden("Only administrators can list users.");
        }
        Condition where = DSL.noCondition();
        if (kind != null) {
            where = where.and(USERS.KIND.eq(kind));
        }
        if (state != null) {
            where = where.and(USERS.STATE.eq(state));
        }
        if (search != null && !search.isBlank()) {
            String pattern = "%" + search.strip().toLowerCase().replace("!", "!!").replace("%", "!%")
                    .replace("_", "!_") + "%";
            where = where.and(DSL.lower(USERS.USERNAME).like(pattern, '!').or(DSL.lower(USERS.NAME).like(pattern, '!')));
        }
        Condition seek = DSL.noCondition();
        if (page.cursor() != null) {
            long id;
            try {
                id = Long.parseLong(Cursors.decode(page.cursor(), SORT, 1).getFirst());
            } catch (NumberFormatException e) {
                throw PatrolException.badInput("The cursor is not valid for this list and sort order.");
            }
            seek = page.backward() ? USERS.ID.lt(id) : USERS.ID.gt(id);
        }
        List<Long> ids = page.size() == 0 ? List.of()
                : dsl.select(USERS.ID).from(USERS).where(where).and(seek)
                        .orderBy(page.backward() ? USERS.ID.desc() : USERS.ID.asc())
                        .limit(page.size() + 1)
                        .fetch(USERS.ID);
        Map<Long, User> byId = ids.isEmpty() ? Map.of() : owners.usersById(ids);
        List<User> rows = ids.stream().map(byId::get).toList();
        Condition countWhere = where;
        return Connection.of(rows, page.size(), page.backward(), page.cursor() != null,
                u -> Cursors.encode(SORT, u.id()), () -> dsl.fetchCount(USERS, countWhere));
    }
}
