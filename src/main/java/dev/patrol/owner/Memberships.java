package dev.patrol.owner;

import static patrol.jooq.Tables.MEMBERS;
import static patrol.jooq.Tables.NAMESPACES;
import static patrol.jooq.Tables.PROJECTS;
import static patrol.jooq.Tables.USERS;

import java.util.Arrays;
import java.util.List;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.impl.DSL;

import patrol.jooq.tables.Namespaces;

/**
 * Membership as jOOQ conditions, for other modules' single-statement reads: the same effective roles as
 * {@link Permissions} (a group membership applies to its subgroups and their projects; the highest role wins), as
 * SQL on the caller's own columns. Other modules query members and namespaces only through these.
 */
public final class Memberships {

    private Memberships() {
    }

    /** The project is one where the user's role, direct or inherited from an ancestor group, is at least {@code level}. */
    public static Condition projectWhereRoleAtLeast(Field<Long> projectId, long userId, AccessLevel level) {
        return projectId.in(DSL.select(MEMBERS.SOURCE_ID).from(MEMBERS).where(MEMBERS.USER_ID.eq(userId),
                        MEMBERS.SOURCE_TYPE.eq(SourceType.PROJECT), MEMBERS.ACCESS_LEVEL.ge(level.value())))
                .or(projectId.in(DSL.select(PROJECTS.ID).from(PROJECTS)
                        .where(PROJECTS.NAMESPACE_ID.in(groupsWhereRoleAtLeast(userId, level)))));
    }

    /** The group is one where the user's role, direct or inherited from an ancestor group, is at least {@code level}. */
    public static Condition groupWhereRoleAtLeast(Field<Long> groupId, long userId, AccessLevel level) {
        return groupId.in(groupsWhereRoleAtLeast(userId, level));
    }

    /**
     * The user is a person (a human or a service account, not a bot) whose enterprise group is one where
     * {@code memberId}'s role is at least {@code level}.
     */
    public static Condition enterpriseUserOfGroupWhereRoleAtLeast(Field<Long> userId, long memberId,
            AccessLevel level) {
        List<UserKind> people = Arrays.stream(UserKind.values()).filter(k -> !k.isBot()).toList();
        return userId.in(DSL.select(USERS.ID).from(USERS).where(USERS.KIND.in(people),
                USERS.ENTERPRISE_GROUP_ID.in(groupsWhereRoleAtLeast(memberId, level))));
    }

    /** The user is a direct member of a group or project whose top-level group is {@code rootGroupId}. */
    public static Condition memberWithin(Field<Long> userId, Field<Long> rootGroupId) {
        return DSL.exists(DSL.selectOne().from(MEMBERS).join(NAMESPACES).on(NAMESPACES.ID.eq(MEMBERS.SOURCE_ID))
                        .where(MEMBERS.SOURCE_TYPE.eq(SourceType.GROUP), MEMBERS.USER_ID.eq(userId),
                                NAMESPACES.ROOT_ID.eq(rootGroupId)))
                .or(DSL.exists(DSL.selectOne().from(MEMBERS).join(PROJECTS).on(PROJECTS.ID.eq(MEMBERS.SOURCE_ID))
                        .where(MEMBERS.SOURCE_TYPE.eq(SourceType.PROJECT), MEMBERS.USER_ID.eq(userId),
                                PROJECTS.ROOT_ID.eq(rootGroupId))));
    }

    /** The groups below (and including) each group the user is a member of with at least {@code level}. */
    private static Select<Record1<Long>> groupsWhereRoleAtLeast(long userId, AccessLevel level) {
        Namespaces joined = NAMESPACES.as("joined");
        return DSL.select(NAMESPACES.ID).from(MEMBERS)
                .join(joined).on(joined.ID.eq(MEMBERS.SOURCE_ID))
                .join(NAMESPACES).on(NAMESPACES.ROOT_ID.eq(joined.ROOT_ID),
                        NAMESPACES.TRAVERSAL_IDS.startsWith(joined.TRAVERSAL_IDS))
                .where(MEMBERS.USER_ID.eq(userId), MEMBERS.SOURCE_TYPE.eq(SourceType.GROUP),
                        MEMBERS.ACCESS_LEVEL.ge(level.value()));
    }
}
