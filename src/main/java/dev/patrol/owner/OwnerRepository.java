package dev.patrol.owner;

import static patrol.jooq.Tables.MEMBERS;
import static patrol.jooq.Tables.NAMESPACES;
import static patrol.jooq.Tables.PROJECTS;
import static patrol.jooq.Tables.RESOURCES;
import static patrol.jooq.Tables.USERS;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Record7;
import org.jooq.Record8;
import org.jooq.RecordMapper;
import org.jooq.Records;
import org.jooq.SelectField;
import org.jooq.SelectSelectStep;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Users, groups, projects, memberships and resources, as jOOQ queries on the generated tables. */
@Repository
public class OwnerRepository {

    private final DSLContext dsl;

    public OwnerRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    // users

    /**
     * A user row: every query that reads users selects this (null where an outer join found no user). Typed as the
     * Field that jOOQ's nested row is, so that a plain SQL query can be coerced to it too.
     */
    @SuppressWarnings("unchecked")
    public static final Field<User> USER = (Field<User>) DSL.row(USERS.ID, USERS.USERNAME, USERS.NAME, USERS.EMAIL, USERS.KIND,
            USERS.ADMIN, USERS.STATE, USERS.ENTERPRISE_GROUP_ID, USERS.CREATED_AT).mapping(OwnerRepository::user);

    /** A user, or null for the row of nulls of an outer join that found none. */
    private static User user(Long id, String username, String name, String email, UserKind kind, Boolean admin,
            UserState state, Long enterpriseGroupId, LocalDateTime createdAt) {
        return id == null ? null : new User(id, username, name, email, kind, admin, state, enterpriseGroupId, createdAt);
    }

    public Optional<User> findUser(long id) {
        return dsl.select(USER).from(USERS).where(USERS.ID.eq(id)).fetchOptional(Record1::value1);
    }

    public Optional<User> findUserByUsername(String username) {
        return dsl.select(USER).from(USERS).where(USERS.USERNAME.eq(username)).fetchOptional(Record1::value1);
    }

    public Map<Long, User> usersById(Collection<Long> ids) {
        return dsl.select(USER).from(USERS).where(USERS.ID.in(ids)).fetchMap(r -> r.value1().id(), Record1::value1);
    }

    public long insertUser(String username, String name, String email, UserKind kind, boolean admin,
            Long enterpriseGroupId, LocalDateTime now) {
        return dsl.insertInto(USERS)
                .set(USERS.USERNAME, username)
                .set(USERS.NAME, name)
                .set(USERS.EMAIL, email)
                .set(USERS.KIND, kind)
                .set(USERS.ADMIN, admin)
                .set(USERS.STATE, UserState.ACTIVE)
                .set(USERS.ENTERPRISE_GROUP_ID, enterpriseGroupId)
                .set(USERS.CREATED_AT, now)
                .returningResult(USERS.ID)
                .fetchSingle(USERS.ID);
    }

    public boolean usernameTaken(String username) {
        return dsl.fetchExists(USERS, USERS.USERNAME.eq(username));
    }

    /** Sets the state; returns false when the user already was in it. */
    public boolean updateState(long userId, UserState state) {
        return dsl.update(USERS).set(USERS.STATE, state)
                .where(USERS.ID.eq(userId).and(USERS.STATE.ne(state)))
                .execute() == 1;
    }

    public long countUsers() {
        return dsl.fetchCount(USERS);
    }

    // groups

    private SelectSelectStep<Record8<Long, Long, Long, String, String, String, String, LocalDateTime>> selectGroup() {
        return dsl.select(NAMESPACES.ID, NAMESPACES.PARENT_ID, NAMESPACES.ROOT_ID, NAMESPACES.TRAVERSAL_IDS,
                NAMESPACES.NAME, NAMESPACES.PATH, NAMESPACES.FULL_PATH, NAMESPACES.CREATED_AT);
    }

    private static final RecordMapper<Record8<Long, Long, Long, String, String, String, String, LocalDateTime>, Group> GROUP = Records.mapping(Group::new);

    public Optional<Group> findGroup(long id) {
        return selectGroup().from(NAMESPACES).where(NAMESPACES.ID.eq(id)).fetchOptional(GROUP);
    }

    public Optional<Group> findGroupByPath(String fullPath) {
        return selectGroup().from(NAMESPACES).where(NAMESPACES.FULL_PATH.eq(fullPath)).fetchOptional(GROUP);
    }

    public Map<Long, Group> groupsById(Collection<Long> ids) {
        return selectGroup().from(NAMESPACES).where(NAMESPACES.ID.in(ids)).fetchMap(NAMESPACES.ID, GROUP);
    }

    public boolean groupPathTaken(String fullPath) {
        return dsl.fetchExists(NAMESPACES, NAMESPACES.FULL_PATH.eq(fullPath))
                || dsl.fetchExists(PROJECTS, PROJECTS.FULL_PATH.eq(fullPath));
    }

    public Group insertGroup(Group parent, String name, String path, LocalDateTime now) {
        String fullPath = parent == null ? path : parent.fullPath() + "/" + path;
        long id = dsl.insertInto(NAMESPACES)
                .set(NAMESPACES.PARENT_ID, parent == null ? null : parent.id())
                .set(NAMESPACES.TRAVERSAL_IDS, "")
                .set(NAMESPACES.NAME, name)
                .set(NAMESPACES.PATH, path)
                .set(NAMESPACES.FULL_PATH, fullPath)
                .set(NAMESPACES.CREATED_AT, now)
                .returningResult(NAMESPACES.ID)
                .fetchSingle(NAMESPACES.ID);
        long rootId = parent == null ? id : parent.rootId();
        String traversal = (parent == null ? "" : parent.traversalIds()) + id + "/";
        dsl.update(NAMESPACES)
                .set(NAMESPACES.ROOT_ID, rootId)
                .set(NAMESPACES.TRAVERSAL_IDS, traversal)
                .where(NAMESPACES.ID.eq(id))
                .execute();
        return new Group(id, parent == null ? null : parent.id(), rootId, traversal, name, path, fullPath, now);
    }

    // projects

    private SelectSelectStep<Record7<Long, Long, Long, String, String, String, LocalDateTime>> selectProject() {
        return dsl.select(PROJECTS.ID, PROJECTS.NAMESPACE_ID, PROJECTS.ROOT_ID, PROJECTS.NAME, PROJECTS.PATH,
                PROJECTS.FULL_PATH, PROJECTS.CREATED_AT);
    }

    private static final RecordMapper<Record7<Long, Long, Long, String, String, String, LocalDateTime>, Project> PROJECT = Records.mapping(Project::new);

    public Optional<Project> findProject(long id) {
        return selectProject().from(PROJECTS).where(PROJECTS.ID.eq(id)).fetchOptional(PROJECT);
    }

    public Optional<Project> findProjectByPath(String fullPath) {
        return selectProject().from(PROJECTS).where(PROJECTS.FULL_PATH.eq(fullPath)).fetchOptional(PROJECT);
    }

    public Map<Long, Project> projectsById(Collection<Long> ids) {
        return selectProject().from(PROJECTS).where(PROJECTS.ID.in(ids)).fetchMap(PROJECTS.ID, PROJECT);
    }

    public Project insertProject(Group group, String name, String path, LocalDateTime now) {
        String fullPath = group.fullPath() + "/" + path;
        long id = dsl.insertInto(PROJECTS)
                .set(PROJECTS.NAMESPACE_ID, group.id())
                .set(PROJECTS.ROOT_ID, group.rootId())
                .set(PROJECTS.NAME, name)
                .set(PROJECTS.PATH, path)
                .set(PROJECTS.FULL_PATH, fullPath)
                .set(PROJECTS.CREATED_AT, now)
                .returningResult(PROJECTS.ID)
                .fetchSingle(PROJECTS.ID);
        return new Project(id, group.id(), group.rootId(), name, path, fullPath, now);
    }

    // memberships

    /** A membership row: every query that reads memberships selects this. */
    private static final SelectField<Member> MEMBER = DSL.row(MEMBERS.ID, MEMBERS.USER_ID, MEMBERS.SOURCE_TYPE,
            MEMBERS.SOURCE_ID, MEMBERS.ACCESS_LEVEL.convert(AccessLevel.class, AccessLevel::of, AccessLevel::value), MEMBERS.CREATED_AT)
            .mapping(Member::new);

    public Optional<Member> findMember(SourceType type, long sourceId, long userId) {
        return dsl.select(MEMBER)
                .from(MEMBERS)
                .where(MEMBERS.SOURCE_TYPE.eq(type), MEMBERS.SOURCE_ID.eq(sourceId),
                        MEMBERS.USER_ID.eq(userId))
                .fetchOptional(Record1::value1);
    }

    public List<Member> membersOf(SourceType type, long sourceId) {
        return dsl.select(MEMBER)
                .from(MEMBERS)
                .where(MEMBERS.SOURCE_TYPE.eq(type), MEMBERS.SOURCE_ID.eq(sourceId))
                .orderBy(MEMBERS.ID)
                .fetch(Record1::value1);
    }

    public void upsertMember(SourceType type, long sourceId, long userId, AccessLevel level, LocalDateTime now) {
        int updated = dsl.update(MEMBERS).set(MEMBERS.ACCESS_LEVEL, level.value())
                .where(MEMBERS.SOURCE_TYPE.eq(type), MEMBERS.SOURCE_ID.eq(sourceId),
                        MEMBERS.USER_ID.eq(userId))
                .execute();
        if (updated == 0) {
            dsl.insertInto(MEMBERS)
                    .set(MEMBERS.SOURCE_TYPE, type)
                    .set(MEMBERS.SOURCE_ID, sourceId)
                    .set(MEMBERS.USER_ID, userId)
                    .set(MEMBERS.ACCESS_LEVEL, level.value())
                    .set(MEMBERS.CREATED_AT, now)
                    .execute();
        }
    }

    public boolean deleteMember(SourceType type, long sourceId, long userId) {
        return dsl.deleteFrom(MEMBERS)
                .where(MEMBERS.SOURCE_TYPE.eq(type), MEMBERS.SOURCE_ID.eq(sourceId),
                        MEMBERS.USER_ID.eq(userId))
                .execute() == 1;
    }

    /** A direct membership with its user. */
    public record Membership(Member member, User user) {
    }

    /** The direct members of these projects and groups whose role there is at least {@code level}, with their users. */
    public List<Membership> membersAtLeast(Collection<Long> projectIds, Collection<Long> groupIds, AccessLevel level) {
        if (projectIds.isEmpty() && groupIds.isEmpty()) {
            return List.of();
        }
        return dsl.select(MEMBER, USER)
                .from(MEMBERS).join(USERS).on(USERS.ID.eq(MEMBERS.USER_ID))
                .where(MEMBERS.SOURCE_TYPE.eq(SourceType.PROJECT).and(MEMBERS.SOURCE_ID.in(projectIds))
                        .or(MEMBERS.SOURCE_TYPE.eq(SourceType.GROUP).and(MEMBERS.SOURCE_ID.in(groupIds))))
                .and(MEMBERS.ACCESS_LEVEL.ge(level.value()))
                .orderBy(USERS.ID)
                .fetch(Records.mapping(Membership::new));
    }

    /** The highest access level among the user's direct memberships of the given groups. */
    public Optional<Integer> maxGroupAccess(long userId, Collection<Long> groupIds) {
        return Optional.ofNullable(dsl.select(org.jooq.impl.DSL.max(MEMBERS.ACCESS_LEVEL))
                .from(MEMBERS)
                .where(MEMBERS.USER_ID.eq(userId), MEMBERS.SOURCE_TYPE.eq(SourceType.GROUP),
                        MEMBERS.SOURCE_ID.in(groupIds))
                .fetchOne(0, Integer.class));
    }

    // resources

    /** A resource row: every query that reads resources selects this. */
    private static final SelectField<Resource> RESOURCE = DSL.row(RESOURCES.ID, RESOURCES.KIND, RESOURCES.NAME,
            RESOURCES.PROJECT_ID, RESOURCES.GROUP_ID, RESOURCES.USER_ID, RESOURCES.STATE, RESOURCES.CREATED_AT)
            .mapping(Resource::new);

    public Optional<Resource> findResource(long id) {
        return dsl.select(RESOURCE)
                .from(RESOURCES)
                .where(RESOURCES.ID.eq(id))
                .fetchOptional(Record1::value1);
    }

    public Map<Long, Resource> resourcesById(Collection<Long> ids) {
        return dsl.select(RESOURCE)
                .from(RESOURCES)
                .where(RESOURCES.ID.in(ids))
                .fetchMap(r -> r.value1().id(), Record1::value1);
    }

    public long insertResource(ResourceKind kind, String name, Long projectId, Long groupId, Long userId,
            String state, LocalDateTime now) {
        return dsl.insertInto(RESOURCES)
                .set(RESOURCES.KIND, kind)
                .set(RESOURCES.NAME, name)
                .set(RESOURCES.PROJECT_ID, projectId)
                .set(RESOURCES.GROUP_ID, groupId)
                .set(RESOURCES.USER_ID, userId)
                .set(RESOURCES.STATE, state)
                .set(RESOURCES.CREATED_AT, now)
                .returningResult(RESOURCES.ID)
                .fetchSingle(RESOURCES.ID);
    }

    public void updateResourceState(long id, String state) {
        dsl.update(RESOURCES).set(RESOURCES.STATE, state).where(RESOURCES.ID.eq(id)).execute();
    }

    // set-based writes for other modules: retention and estate generation

    /** Inserts the users as they are (ids ignored) in one statement; returns their ids by username (a second). */
    public Map<String, Long> insertUsers(List<User> users) {
        if (users.isEmpty()) {
            return Map.of();
        }
        // Without an e-mail among them (bots), the column stays out: fewer values to render and send.
        boolean emails = users.stream().anyMatch(u -> u.email() != null);
        List<Field<?>> columns = new ArrayList<>(List.of(USERS.USERNAME, USERS.NAME, USERS.KIND, USERS.ADMIN,
                USERS.STATE, USERS.ENTERPRISE_GROUP_ID, USERS.CREATED_AT));
        if (emails) {
            columns.add(USERS.EMAIL);
        }
        var insert = dsl.insertInto(USERS, columns);
        for (User u : users) {
            List<Object> row = new ArrayList<>(Arrays.asList(u.username(), u.name(), u.kind().name(), u.admin(),
                    u.state().name(), u.enterpriseGroupId(), u.createdAt()));
            if (emails) {
                row.add(u.email());
            }
            insert = insert.values(row);
        }
        insert.execute();
        return dsl.select(USERS.USERNAME, USERS.ID).from(USERS)
                .where(USERS.USERNAME.in(users.stream().map(User::username).toList()))
                .fetchMap(USERS.USERNAME, USERS.ID);
    }

    /** Inserts the memberships as they are (ids ignored): one statement. */
    public void insertMembers(List<Member> members) {
        if (members.isEmpty()) {
            return;
        }
        var insert = dsl.insertInto(MEMBERS, MEMBERS.USER_ID, MEMBERS.SOURCE_TYPE, MEMBERS.SOURCE_ID,
                MEMBERS.ACCESS_LEVEL, MEMBERS.CREATED_AT);
        for (Member m : members) {
            insert = insert.values(m.userId(), m.sourceType(), m.sourceId(), m.accessLevel().value(),
                    m.createdAt());
        }
        insert.execute();
    }

    /** Deletes the project and group bots among the users, with their memberships: two statements. */
    public void deleteBots(Collection<Long> userIds) {
        if (userIds.isEmpty()) {
            return;
        }
        Condition bots = USERS.ID.in(userIds).and(USERS.KIND.in(UserKind.PROJECT_BOT, UserKind.GROUP_BOT));
        dsl.deleteFrom(MEMBERS).where(MEMBERS.USER_ID.in(DSL.select(USERS.ID).from(USERS).where(bots))).execute();
        dsl.deleteFrom(USERS).where(bots).execute();
    }
}
