package dev.patrol.support;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.NewUser;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.SourceType;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.Actor;
import dev.patrol.shared.Source;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;

/** Builds users, groups, projects and tokens through the real services, with unique names per call. */
public class Fixtures {

    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 100_000);

    private final OwnerService owners;
    private final TokenService tokens;
    private final OwnerRepository ownerRepository;

    public Fixtures(OwnerService owners, TokenService tokens, OwnerRepository ownerRepository) {
        this.owners = owners;
        this.tokens = tokens;
        this.ownerRepository = ownerRepository;
    }

    public static String unique(String base) {
        return base + "-" + SEQ.incrementAndGet();
    }

    public Actor system() {
        return Actor.system();
    }

    public Actor actor(User user) {
        return new Actor(user.id(), user.username(), user.admin(), Source.API, "127.0.0.1");
    }

    public User admin() {
        return user(unique("admin"), true, UserKind.HUMAN);
    }

    public User human() {
        return user(unique("user"), false, UserKind.HUMAN);
    }

    public User user(String username, boolean admin, UserKind kind) {
        return owners.createUser(Actor.system(), new NewUser(username, username, username + "@example.com", kind,
                admin, null));
    }

    public User serviceAccount(Group group) {
        String username = unique("sa");
        return owners.createUser(Actor.system(), new NewUser(username, username, null, UserKind.SERVICE_ACCOUNT,
                false, group.id()));
    }

    public Group group() {
        return owners.createGroup(Actor.system(), null, unique("group"), null);
    }

    public Group subgroup(Group parent) {
        return owners.createGroup(Actor.system(), parent.fullPath(), unique("sub"), null);
    }

    public Project project(Group group) {
        return owners.createProject(Actor.system(), group.fullPath(), unique("project"), null);
    }

    public void member(User user, Project project, AccessLevel level) {
        owners.addMember(Actor.system(), SourceType.PROJECT, project.id(), user.id(), level);
    }

    public void member(User user, Group group, AccessLevel level) {
        owners.addMember(Actor.system(), SourceType.GROUP, group.id(), user.id(), level);
    }

    public IssuedToken pat(User user, String... scopes) {
        return tokens.issue(Actor.system(), NewToken.personal(user.id(), unique("pat"), List.of(scopes), null));
    }

    public IssuedToken pat(User user, LocalDate expiresAt, String... scopes) {
        return tokens.issue(Actor.system(), NewToken.personal(user.id(), unique("pat"), List.of(scopes), expiresAt));
    }

    public OwnerRepository ownerRepository() {
        return ownerRepository;
    }
}
