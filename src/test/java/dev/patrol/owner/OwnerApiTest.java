package dev.patrol.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.AUDIT_EVENTS;
import static patrol.jooq.Tables.NAMESPACES;
import static patrol.jooq.Tables.SSH_KEYS;
import static patrol.jooq.Tables.USERS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import dev.patrol.support.Fixtures;
import dev.patrol.support.GraphQlClients;
import dev.patrol.support.PatrolTest;

@PatrolTest
class OwnerApiTest {

    /** Generated with ssh-keygen -t ed25519; ssh-keygen -lf prints the fingerprint below. */
    private static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHdWD0ob7fPkoEzs6BvnAd7RgLa61gIzIkp9erw3Zsly test@patrol";
    private static final String ED25519_FINGERPRINT = "SHA256:/8r9TBj6kuDLRMj/meqpeowNlhT9fdmItNJ4TC6TJsM";
    /** ssh-keygen -t rsa -b 1024: too short. */
    private static final String RSA_1024 = "ssh-rsa "
            + "AAAAB3NzaC1yc2EAAAADAQABAAAAgQC9jlBFjW1ieD8GmmW7T7f0eIzjNhb61VyQWDXD3d2hu1xebqsfWq5UBQInB0"
            + "kulZdznL33TxV05rUw+q/GaYwS32/ZtQNUSukq+mp0qfSGzRXTA1hL7+NJ6UqsRvX2TB6Oukj3CG6/rZ1u4iYVSX0p"
            + "naidzuIkrFaAb1QhEmqXMQ==";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired DSLContext dsl;

    private HttpGraphQlTester as(User user) {
        return GraphQlClients.as(port, fixtures.pat(user, "api"));
    }

    private static void expectCode(GraphQlTester.Response response, String code) {
        response.errors().expect(e -> code.equals(e.getExtensions().get("code"))).verify();
    }

    private static String gid(String type, long id) {
        return "gid://patrol/" + type + "/" + id;
    }

    @Test
    void emailIsVisibleToTheUserThemselfAndAdminsOnly() {
        User user = fixtures.human();
        // language=GraphQL
        String doc = """
                query($u: String!) { user(username: $u) { id username email kind state admin createdAt } }""";
        as(user).document(doc).variable("u", user.username()).execute()
                .path("user.email").entity(String.class).isEqualTo(user.email())
                .path("user.kind").entity(String.class).isEqualTo("HUMAN")
                .path("user.createdAt").entity(String.class).isEqualTo("2026-03-10T12:00:00.000Z");
        as(fixtures.human()).document(doc).variable("u", user.username()).execute()
                .path("user.username").entity(String.class).isEqualTo(user.username())
                .path("user.email").valueIsNull();
        as(fixtures.admin()).document(doc).variable("u", user.username()).execute()
                .path("user.email").entity(String.class).isEqualTo(user.email());
        expectCode(as(user).document(doc).variable("u", "nobody-" + System.nanoTime()).execute(), "NOT_FOUND");
    }

    @Test
    void adminsPageThroughUsersBothWays() {
        Group group = fixtures.group();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(fixtures.serviceAccount(group).username());
        }
        HttpGraphQlTester admin = as(fixtures.admin());
        // language=GraphQL
        String doc = """
                query($first: Int, $after: String, $last: Int, $before: String) {
                  users(kind: SERVICE_ACCOUNT, search: "sa-", first: $first, after: $after, last: $last, before: $before) {
                    count nodes { username } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
                  }
                }""";
        List<String> all = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            GraphQlTester.Response page = admin.document(doc).variable("first", 2).variable("after", after).execute();
            all.addAll(page.path("users.nodes[*].username").entityList(String.class).get());
            more = page.path("users.pageInfo.hasNextPage").entity(Boolean.class).get();
            after = page.path("users.pageInfo.endCursor").entity(String.class).get();
        }
        assertThat(all).containsSubsequence(expected);
        List<String> backward = new ArrayList<>();
        String before = null;
        more = true;
        while (more) {
            GraphQlTester.Response page = admin.document(doc).variable("last", 2).variable("before", before).execute();
            backward.addAll(0, page.path("users.nodes[*].username").entityList(String.class).get());
            more = page.path("users.pageInfo.hasPreviousPage").entity(Boolean.class).get();
            before = page.path("users.pageInfo.startCursor").entity(String.class).get();
        }
        assertThat(backward).isEqualTo(all);
        admin.document(doc).execute().path("users.count").entity(Integer.class).isEqualTo(all.size());
        expectCode(as(fixtures.human()).document(doc).execute(), "FORBIDDEN");
    }

    @Test
    void adminsCreateBlockAndUnblockUsers() {
        HttpGraphQlTester admin = as(fixtures.admin());
        String username = Fixtures.unique("new");
        // language=GraphQL
        String create = """
                mutation($u: String!) { userCreate(input: {username: $u, email: "x@example.com"}) { errors user { id username kind admin } } }""";
        String id = admin.document(create).variable("u", username).execute()
                .path("userCreate.user.username").entity(String.class).isEqualTo(username)
                .path("userCreate.user.id").entity(String.class).get();
        admin.document(create).variable("u", username).execute()
                .path("userCreate.user").valueIsNull()
                .path("userCreate.errors[0]").entity(String.class).satisfies(m -> assertThat(m).contains("taken"));
        admin.document(create).variable("u", "bad name").execute()
                .path("userCreate.errors").entityList(String.class).hasSize(1);
        expectCode(as(fixtures.human()).document(create).variable("u", Fixtures.unique("x")).execute(), "FORBIDDEN");
        assertThat(dsl.fetchCount(USERS, USERS.USERNAME.eq("bad name"))).isZero();

        // language=GraphQL
        String block = """
                mutation($id: ID!) { userBlock(input: {id: $id}) { errors user { state } } }""";
        // language=GraphQL
        String unblock = """
                mutation($id: ID!) { userUnblock(input: {id: $id}) { errors user { state } } }""";
        expectCode(as(fixtures.human()).document(block).variable("id", id).execute(), "FORBIDDEN");
        admin.document(block).variable("id", id).execute().path("userBlock.user.state").entity(String.class).isEqualTo("BLOCKED");
        admin.document(block).variable("id", id).execute().path("userBlock.errors").entityList(String.class).hasSize(1);
        admin.document(unblock).variable("id", id).execute().path("userUnblock.user.state").entity(String.class).isEqualTo("ACTIVE");
    }

    @Test
    void groupOwnersCreateServiceAccountsOfTheirGroup() {
        Group group = fixtures.group();
        User owner = fixtures.human();
        fixtures.member(owner, group, AccessLevel.OWNER);
        // language=GraphQL
        String doc = """
                mutation($u: String!, $g: ID) { serviceAccountCreate(input: {username: $u, groupId: $g}) { errors user { kind } } }""";
        as(owner).document(doc).variable("u", Fixtures.unique("svc")).variable("g", gid("Group", group.id())).execute()
                .path("serviceAccountCreate.user.kind").entity(String.class).isEqualTo("SERVICE_ACCOUNT");
        String refused = Fixtures.unique("svc");
        expectCode(as(fixtures.human()).document(doc).variable("u", refused).variable("g", gid("Group", group.id()))
                .execute(), "FORBIDDEN");
        expectCode(as(owner).document(doc).variable("u", refused).execute(), "FORBIDDEN");
        assertThat(dsl.fetchCount(USERS, USERS.USERNAME.eq(refused))).isZero();
    }

    @Test
    void groupsProjectsAndMembers() {
        HttpGraphQlTester admin = as(fixtures.admin());
        User owner = fixtures.human();
        User developer = fixtures.human();
        String top = Fixtures.unique("top");
        // language=GraphQL
        String createGroup = """
                mutation($parent: String, $path: String!) {
                  groupCreate(input: {parentPath: $parent, path: $path, name: "Nice name"}) { errors group { id fullPath name parent { fullPath } } }
                }""";
        String topId = admin.document(createGroup).variable("path", top).execute()
                .path("groupCreate.group.fullPath").entity(String.class).isEqualTo(top)
                .path("groupCreate.group.id").entity(String.class).get();
        expectCode(as(owner).document(createGroup).variable("path", Fixtures.unique("top")).execute(), "FORBIDDEN");
        admin.document(createGroup).variable("path", "bad/path").execute()
                .path("groupCreate.errors").entityList(String.class).hasSize(1);
        assertThat(dsl.fetchCount(NAMESPACES, NAMESPACES.PATH.eq("bad/path"))).isZero();

        // language=GraphQL
        String addMember = """
                mutation($user: ID!, $group: ID, $project: ID, $level: AccessLevel!) {
                  memberAdd(input: {userId: $user, groupId: $group, projectId: $project, accessLevel: $level}) {
                    errors member { accessLevel user { username } }
                  }
                }""";
        admin.document(addMember).variable("user", gid("User", owner.id())).variable("group", topId)
                .variable("level", "OWNER").execute()
                .path("memberAdd.member.accessLevel").entity(String.class).isEqualTo("OWNER")
                .path("memberAdd.member.user.username").entity(String.class).isEqualTo(owner.username());
        HttpGraphQlTester ownerApi = as(owner);
        ownerApi.document(createGroup).variable("parent", top).variable("path", "sub").execute()
                .path("groupCreate.group.parent.fullPath").entity(String.class).isEqualTo(top);
        ownerApi.document(addMember).variable("user", gid("User", developer.id())).variable("group", topId)
                .variable("level", "DEVELOPER").execute()
                .path("memberAdd.member.accessLevel").entity(String.class).isEqualTo("DEVELOPER");

        // language=GraphQL
        String createProject = """
                mutation($g: String!, $p: String!) { projectCreate(input: {groupPath: $g, path: $p}) { errors project { id fullPath group { fullPath } } } }""";
        expectCode(as(developer).document(createProject).variable("g", top + "/sub").variable("p", "api").execute(),
                "FORBIDDEN");
        ownerApi.document(createProject).variable("g", top + "/sub").variable("p", "api").execute()
                .path("projectCreate.project.fullPath").entity(String.class).isEqualTo(top + "/sub/api")
                .path("projectCreate.project.group.fullPath").entity(String.class).isEqualTo(top + "/sub");
        ownerApi.document(createProject).variable("g", top + "/sub").variable("p", "api").execute()
                .path("projectCreate.errors[0]").entity(String.class).satisfies(m -> assertThat(m).contains("taken"));

        // members see the group and the project; others do not
        // language=GraphQL
        String look = """
                query($g: String!, $p: String!) { group(fullPath: $g) { fullPath } project(fullPath: $p) { fullPath } }""";
        as(developer).document(look).variable("g", top + "/sub").variable("p", top + "/sub/api").execute()
                .path("group.fullPath").entity(String.class).isEqualTo(top + "/sub")
                .path("project.fullPath").entity(String.class).isEqualTo(top + "/sub/api");
        expectCode(as(fixtures.human()).document(look).variable("g", top).variable("p", top + "/sub/api").execute(),
                "NOT_FOUND");

        // a developer cannot manage members; an owner removes one
        // language=GraphQL
        String remove = """
                mutation($user: ID!, $group: ID) { memberRemove(input: {userId: $user, groupId: $group}) { errors member { accessLevel } } }""";
        expectCode(as(developer).document(addMember).variable("user", gid("User", fixtures.human().id()))
                .variable("group", topId).variable("level", "GUEST").execute(), "FORBIDDEN");
        ownerApi.document(remove).variable("user", gid("User", developer.id())).variable("group", topId).execute()
                .path("memberRemove.errors").entityList(String.class).hasSize(0);
        expectCode(as(developer).document(look).variable("g", top).variable("p", top + "/sub/api").execute(),
                "NOT_FOUND");
    }

    @Test
    void sshKeysAreParsedFingerprintedAndOwnedByTheirUser() {
        User user = fixtures.human();
        HttpGraphQlTester tester = as(user);
        // language=GraphQL
        String add = """
                mutation($key: String!, $user: ID) {
                  sshKeyAdd(input: {userId: $user, title: "laptop", key: $key}) { errors sshKey { id fingerprint keyType title } }
                }""";
        int events = dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("ssh_key_added"));
        Map<String, String> bad = Map.of("not a key", "not an OpenSSH public key",
                "ssh-ed25519 !!!", "damaged", RSA_1024, "at least 2048 bits",
                "ssh-rsa " + ED25519.split(" ")[1], "not 'ssh-rsa'",
                ED25519.substring(0, 40), "damaged");
        bad.forEach((key, message) -> tester.document(add).variable("key", key).execute()
                .path("sshKeyAdd.sshKey").valueIsNull()
                .path("sshKeyAdd.errors[0]").entity(String.class).satisfies(m -> assertThat(m).contains(message)));
        expectCode(as(fixtures.human()).document(add).variable("key", ED25519).variable("user", gid("User", user.id()))
                .execute(), "FORBIDDEN");
        assertThat(dsl.fetchCount(SSH_KEYS, SSH_KEYS.USER_ID.eq(user.id()))).isZero();
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("ssh_key_added"))).isEqualTo(events);

        String id = tester.document(add).variable("key", ED25519).execute()
                .path("sshKeyAdd.sshKey.fingerprint").entity(String.class).isEqualTo(ED25519_FINGERPRINT)
                .path("sshKeyAdd.sshKey.keyType").entity(String.class).isEqualTo("ssh-ed25519")
                .path("sshKeyAdd.sshKey.id").entity(String.class).get();
        tester.document(add).variable("key", ED25519).execute()
                .path("sshKeyAdd.errors[0]").entity(String.class).satisfies(m -> assertThat(m).contains("already"));
        tester.document("{ currentUser { sshKeys { fingerprint } } }").execute()
                .path("currentUser.sshKeys[*].fingerprint").entityList(String.class).containsExactly(ED25519_FINGERPRINT);

        // language=GraphQL
        String delete = """
                mutation($id: ID!) { sshKeyDelete(input: {id: $id}) { errors sshKey { fingerprint } } }""";
        expectCode(as(fixtures.human()).document(delete).variable("id", id).execute(), "FORBIDDEN");
        tester.document(delete).variable("id", id).execute()
                .path("sshKeyDelete.sshKey.fingerprint").entity(String.class).isEqualTo(ED25519_FINGERPRINT);
        assertThat(dsl.fetchCount(SSH_KEYS, SSH_KEYS.USER_ID.eq(user.id()))).isZero();
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("ssh_key_deleted")
                .and(AUDIT_EVENTS.DETAILS.contains(ED25519_FINGERPRINT)))).isEqualTo(1);
    }

}
