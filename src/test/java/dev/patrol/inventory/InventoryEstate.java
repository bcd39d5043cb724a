package dev.patrol.inventory;

import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.ACCESS_TOKEN_LAST_USED_IPS;
import static patrol.jooq.Tables.ACCESS_TOKEN_SCOPE_USAGE;
import static patrol.jooq.Tables.SSH_KEYS;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.jooq.DSLContext;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.NewUser;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/**
 * One top-level group's estate, built through the real services: an Owner, an enterprise user and a service
 * account with personal access tokens, a project with a project token and a deploy token, a group token, and
 * SSH keys. Last-used times, addresses and scope usage are written as the auth path's flush would write them.
 */
class InventoryEstate {

    final Group group;
    final Project project;
    final User owner;
    final User maintainer;
    final User enterprise;
    final User serviceAccount;
    final IssuedToken ownerToken;
    final IssuedToken enterprisePat;
    final IssuedToken enterpriseReadPat;
    final IssuedToken serviceAccountPat;
    final IssuedToken projectToken;
    final IssuedToken groupToken;
    final IssuedToken deployToken;
    final long sshKey;

    private final DSLContext dsl;

    InventoryEstate(Fixtures fixtures, OwnerService owners, TokenService tokens, DSLContext dsl, LocalDate today) {
        this.dsl = dsl;
        Actor system = Actor.system();
        group = fixtures.group();
        project = fixtures.project(group);
        owner = fixtures.human();
        fixtures.member(owner, group, AccessLevel.OWNER);
        maintainer = fixtures.human();
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        enterprise = enterpriseUser(owners, group, UserKind.HUMAN);
        serviceAccount = enterpriseUser(owners, group, UserKind.SERVICE_ACCOUNT);
        ownerToken = fixtures.pat(owner, "api");
        enterprisePat = tokens.issue(system, NewToken.personal(enterprise.id(), "laptop, \"home\"",
                List.of("api", "write_repository"), today.plusDays(10)));
        enterpriseReadPat = tokens.issue(system, NewToken.personal(enterprise.id(), "reader",
                List.of("read_api"), today.plusDays(40)));
        serviceAccountPat = tokens.issue(system, NewToken.personal(serviceAccount.id(), "deployer",
                List.of("api"), today.plusDays(100)));
        projectToken = tokens.issue(fixtures.actor(maintainer), new NewToken(TokenType.PROJECT, "ci", null,
                List.of("read_repository"), today.plusDays(20), null, project.id(), null, null, 30, null));
        groupToken = tokens.issue(system, new NewToken(TokenType.GROUP, "group-bot", null, List.of("read_api"),
                today.plusDays(30), null, null, group.id(), null, null, null));
        deployToken = tokens.issue(fixtures.actor(maintainer), new NewToken(TokenType.DEPLOY, "deploy", null,
                List.of("read_registry"), null, null, project.id(), null, null, null, null));
        sshKey = sshKey(enterprise, "enterprise laptop key", today.plusDays(5));
    }

    private static User enterpriseUser(OwnerService owners, Group group, UserKind kind) {
        String username = Fixtures.unique(kind == UserKind.HUMAN ? "ent" : "sa");
        return owners.createUser(Actor.system(), new NewUser(username, username, username + "@example.com", kind,
                false, group.id()));
    }

    long sshKey(User user, String title, LocalDate expiresAt) {
        return dsl.insertInto(SSH_KEYS)
                .set(SSH_KEYS.USER_ID, user.id())
                .set(SSH_KEYS.TITLE, title)
                .set(SSH_KEYS.PUBLIC_KEY, "ssh-ed25519 AAAA" + Fixtures.unique("k"))
                .set(SSH_KEYS.FINGERPRINT, Fixtures.unique("SHA256:fp"))
                .set(SSH_KEYS.USAGE_TYPE, "auth_and_signing")
                .set(SSH_KEYS.CREATED_AT, LocalDateTime.of(2026, 1, 1, 0, 0))
                .set(SSH_KEYS.EXPIRES_AT, expiresAt)
                .returningResult(SSH_KEYS.ID).fetchSingle(SSH_KEYS.ID);
    }

    /** What the auth path's flush writes after a request from {@code ip}. */
    void used(IssuedToken token, LocalDateTime at, String... ips) {
        dsl.update(ACCESS_TOKENS).set(ACCESS_TOKENS.LAST_USED_AT, at)
                .where(ACCESS_TOKENS.ID.eq(token.token().id())).execute();
        for (String ip : ips) {
            dsl.insertInto(ACCESS_TOKEN_LAST_USED_IPS).set(ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID, token.token().id())
                    .set(ACCESS_TOKEN_LAST_USED_IPS.IP, ip).set(ACCESS_TOKEN_LAST_USED_IPS.USED_AT, at).execute();
        }
    }

    /** What the auth path records when a request needed {@code scope}. */
    void exercised(IssuedToken token, String scope, LocalDateTime at) {
        dsl.insertInto(ACCESS_TOKEN_SCOPE_USAGE).set(ACCESS_TOKEN_SCOPE_USAGE.TOKEN_ID, token.token().id())
                .set(ACCESS_TOKEN_SCOPE_USAGE.SCOPE, scope).set(ACCESS_TOKEN_SCOPE_USAGE.FIRST_USED_AT, at)
                .set(ACCESS_TOKEN_SCOPE_USAGE.LAST_USED_AT, at).execute();
    }

    /** The global IDs of every credential of this estate the group's inventory lists (not the Owner's own PAT). */
    List<String> ids() {
        return List.of(gid(enterprisePat), gid(enterpriseReadPat), gid(serviceAccountPat),
                gid(projectToken), gid(groupToken), gid(deployToken), "gid://patrol/SshKey/" + sshKey);
    }

    static String gid(IssuedToken token) {
        return dev.patrol.shared.GlobalId.of(token.token().type().modelName(), token.token().id());
    }

    static HttpGraphQlTester tester(int port, IssuedToken token) {
        return HttpGraphQlTester.create(WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port + "/graphql")
                .defaultHeader("PRIVATE-TOKEN", token.secret()).build());
    }
}
