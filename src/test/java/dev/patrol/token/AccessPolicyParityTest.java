package dev.patrol.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.NewUser;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.settings.SettingsChange;
import dev.patrol.settings.SettingsService;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.GraphQlClients;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;

/**
 * The access policy's two forms agree, on estates generated from a seed: for every actor (admins, Owners of
 * top-level groups and of subgroups, Maintainers, Developers, members with inherited roles, enterprise humans,
 * service accounts, project and group bots), the tokens {@code accessToken(id)} returns are exactly those
 * {@code accessTokens} lists; and for every top-level group an actor owns, {@code credentialsInventory} lists
 * exactly the allowed tokens whose top-level group it is. Everything goes through the API, as a front end sees it.
 */
@PatrolTest
class AccessPolicyParityTest {

    // language=GraphQL
    private static final String LIST = """
            query($search: String, $after: String) {
              accessTokens(filter: {search: $search}, first: 25, after: $after) {
                nodes { id }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    // language=GraphQL
    private static final String INVENTORY = """
            query($path: String, $search: String, $types: [CredentialType!], $after: String) {
              credentialsInventory(groupPath: $path, filter: {search: $search, types: $types}, first: 25, after: $after) {
                nodes { id }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    /** Aliases per request, below the API's limit of 30. */
    private static final int BY_ID_BATCH = 25;

    private static final List<AccessLevel> ROLES = List.of(AccessLevel.GUEST, AccessLevel.REPORTER,
            AccessLevel.DEVELOPER, AccessLevel.MAINTAINER, AccessLevel.OWNER);

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired OwnerService owners;
    @Autowired TokenService tokens;
    @Autowired SettingsService settings;
    @Autowired MutableClock clock;

    @BeforeEach
    void reset() {
        clock.set(TestConfig.START);
        settings.update(Actor.system(), new SettingsChange(365, true, true));
    }

    /** Someone who calls the API with {@code token}; {@code ownedTopGroups}: the top-level groups they own. */
    private record Caller(String label, IssuedToken token, Set<Long> ownedTopGroups) {
    }

    /** A generated estate: its tokens (named with the marker), its top-level groups and who calls. */
    private static final class Estate {
        final String marker = Fixtures.unique("parity");
        final List<AccessToken> tokens = new ArrayList<>();
        final List<Group> topGroups = new ArrayList<>();
        final List<Group> groups = new ArrayList<>();
        final List<Project> projects = new ArrayList<>();
        final List<User> people = new ArrayList<>();
        final Map<Long, Caller> callers = new LinkedHashMap<>();
        final Map<Long, Set<Long>> ownedTopGroups = new HashMap<>();
    }

    @ParameterizedTest
    @ValueSource(longs = {12, 1207, 424242})
    void accessTokenByIdAllowsExactlyWhatTheListsShow(long seed) {
        Random random = new Random(seed);
        Estate estate = generate(random);
        Set<TokenType> covered = EnumSet.noneOf(TokenType.class);
        estate.tokens.forEach(t -> covered.add(t.type()));
        assertThat(covered).as("every token type is in the estate").containsExactlyInAnyOrder(TokenType.values());

        Map<Long, Long> rootOf = new HashMap<>();
        estate.tokens.forEach(t -> rootOf.put(t.id(), t.rootGroupId()));
        boolean enterpriseTokenSeenByOwner = false;
        for (Caller caller : estate.callers.values()) {
            HttpGraphQlTester api = GraphQlClients.as(port, caller.token());
            Set<String> allowed = allowedById(api, estate.tokens);
            Set<String> listed = listed(api, estate.marker);
            assertThat(listed).as("seed %d: %s lists what accessToken(id) allows", seed, caller.label())
                    .isEqualTo(allowed);
            for (long root : caller.ownedTopGroups()) {
                Group group = estate.topGroups.stream().filter(g -> g.id() == root).findFirst().orElseThrow();
                Set<String> expected = new TreeSet<>();
                estate.tokens.stream().filter(t -> Long.valueOf(root).equals(rootOf.get(t.id())))
                        .map(AccessPolicyParityTest::gid).filter(allowed::contains).forEach(expected::add);
                assertThat(inventory(api, group.fullPath(), estate.marker))
                        .as("seed %d: %s's inventory of %s is the allowed tokens of the group", seed, caller.label(),
                                group.fullPath())
                        .isEqualTo(expected);
                enterpriseTokenSeenByOwner |= !caller.label().startsWith("admin") && estate.tokens.stream()
                        .anyMatch(t -> t.type() == TokenType.PERSONAL && allowed.contains(gid(t))
                                && estate.people.stream().anyMatch(p -> Long.valueOf(p.id()).equals(t.userId())
                                        && p.kind() == UserKind.HUMAN && Long.valueOf(root).equals(p.enterpriseGroupId())
                                        && p.id() != caller.token().token().userId()));
            }
        }
        // so that the comparisons above cannot pass vacuously
        assertThat(enterpriseTokenSeenByOwner).as("an Owner manages an enterprise human's personal token").isTrue();
    }

    private Estate generate(Random random) {
        Estate e = new Estate();
        Actor system = Actor.system();
        for (int i = 0; i < 2; i++) {
            Group top = fixtures.group();
            Group sub = fixtures.subgroup(top);
            Group subsub = fixtures.subgroup(sub);
            e.topGroups.add(top);
            e.groups.addAll(List.of(top, sub, subsub));
            for (Group g : List.of(top, sub, subsub)) {
                e.projects.add(fixtures.project(g));
            }
        }

        User admin = fixtures.admin();
        e.people.add(admin);
        List<User> topOwners = new ArrayList<>();
        for (Group top : e.topGroups) {
            User owner = fixtures.human();
            topOwners.add(owner);
            e.people.add(owner);
            for (int i = 0; i < 2; i++) {
                e.people.add(enterpriseUser(top, UserKind.HUMAN));
            }
            e.people.add(fixtures.serviceAccount(top));
        }
        User subgroupOwner = fixtures.human();
        fixtures.member(subgroupOwner, e.groups.get(1), AccessLevel.OWNER);
        e.people.add(subgroupOwner);
        for (int i = 0; i < 6; i++) {
            e.people.add(fixtures.human());
        }
        e.people.add(fixtures.human()); // no membership at all
        // random memberships, direct or (on a group) inherited by everything below it; the last person has none
        for (User person : e.people.subList(1, e.people.size() - 1)) {
            int memberships = random.nextInt(3);
            for (int i = 0; i < memberships; i++) {
                AccessLevel role = ROLES.get(random.nextInt(ROLES.size()));
                if (random.nextBoolean()) {
                    Group group = e.groups.get(random.nextInt(e.groups.size()));
                    fixtures.member(person, group, role); // replaces an earlier membership of the same group
                    Set<Long> owned = e.ownedTopGroups.computeIfAbsent(person.id(), k -> new LinkedHashSet<>());
                    if (role == AccessLevel.OWNER && group.isTopLevel()) {
                        owned.add(group.id());
                    } else {
                        owned.remove(group.id());
                    }
                } else {
                    fixtures.member(person, e.projects.get(random.nextInt(e.projects.size())), role);
                }
            }
        }

        for (int i = 0; i < topOwners.size(); i++) {
            fixtures.member(topOwners.get(i), e.topGroups.get(i), AccessLevel.OWNER);
            e.ownedTopGroups.computeIfAbsent(topOwners.get(i).id(), k -> new LinkedHashSet<>())
                    .add(e.topGroups.get(i).id());
        }

        // user-held tokens: everyone's own personal token (the one they call with), and some of every other kind
        for (User person : e.people) {
            IssuedToken pat = issue(e, system, NewToken.personal(person.id(), e.marker + "-pat", List.of("read_api"),
                    null));
            e.callers.put(person.id(), new Caller((person.admin() ? "admin " : "") + person.username(), pat,
                    person.admin() ? ids(e.topGroups) : e.ownedTopGroups.getOrDefault(person.id(), Set.of())));
            if (person.admin()) {
                continue;
            }
            if (person.enterpriseGroupId() != null || random.nextInt(3) == 0) {
                issue(e, system, new NewToken(TokenType.IMPERSONATION, e.marker + "-imp", null, List.of("api"), null,
                        person.id(), null, null, null, null, null));
            }
            if (random.nextBoolean()) {
                issue(e, system, new NewToken(TokenType.FEED, e.marker + "-feed", null, null, null, person.id(), null,
                        null, null, null, null));
            }
            if (random.nextBoolean()) {
                issue(e, system, new NewToken(TokenType.INCOMING_MAIL, e.marker + "-mail", null, null, null,
                        person.id(), null, null, null, null, null));
            }
        }
        // project and group tokens, whose bots call too, with random roles
        for (Project project : e.projects) {
            IssuedToken token = issue(e, system, new NewToken(TokenType.PROJECT, e.marker + "-project", null,
                    List.of("read_api"), null, null, project.id(), null, null, botRole(random), null));
            e.callers.put(token.token().userId(), new Caller("bot of " + project.fullPath(), token, Set.of()));
        }
        for (Group group : e.groups) {
            IssuedToken token = issue(e, system, new NewToken(TokenType.GROUP, e.marker + "-group", null,
                    List.of("read_api"), null, null, null, group.id(), null, botRole(random), null));
            e.callers.put(token.token().userId(), new Caller("bot of " + group.fullPath(), token, Set.of()));
        }
        for (Group top : e.topGroups) {
            issue(e, system, new NewToken(TokenType.SCIM, e.marker + "-scim", null, null, null, null, null, top.id(),
                    null, null, null));
        }
        for (int i = 0; i < 3; i++) {
            Project project = pick(random, e.projects);
            Group group = pick(random, e.groups);
            issue(e, system, new NewToken(TokenType.DEPLOY, e.marker + "-deploy", null, List.of("read_repository"),
                    null, null, project.id(), null, null, null, null));
            issue(e, system, new NewToken(TokenType.DEPLOY, e.marker + "-deploy", null, List.of("read_repository"),
                    null, null, null, group.id(), null, null, null));
            issue(e, system, new NewToken(TokenType.PIPELINE_TRIGGER, e.marker + "-trigger", null, null, null, null,
                    pick(random, e.projects).id(), null, null, null, null));
            issue(e, system, new NewToken(TokenType.FEATURE_FLAGS_CLIENT, e.marker + "-flags", null, null, null, null,
                    pick(random, e.projects).id(), null, null, null, null));
        }
        // resource tokens: of a project's, a group's or a user's runner, agent, application, job or workspace
        for (TokenType type : TokenType.values()) {
            if (type.holder() != Holder.RESOURCE) {
                continue;
            }
            for (int i = 0; i < 3; i++) {
                int where = random.nextInt(3);
                User user = pick(random, e.people.subList(1, e.people.size()));
                long resource = owners.createResource(system, type.resourceKind(), e.marker + "-r",
                        where == 0 ? pick(random, e.projects).id() : null, where == 1 ? pick(random, e.groups).id() : null,
                        where == 2 || type.resourceKind() == ResourceKind.CI_JOB ? user.id() : null).id();
                issue(e, system, new NewToken(type, e.marker + "-" + type.name().toLowerCase(), null, null, null, null,
                        null, null, resource, null, null));
            }
        }
        return e;
    }

    private User enterpriseUser(Group top, UserKind kind) {
        String username = Fixtures.unique("ent");
        return owners.createUser(Actor.system(), new NewUser(username, username, username + "@example.com", kind,
                false, top.id()));
    }

    private IssuedToken issue(Estate e, Actor actor, NewToken request) {
        IssuedToken issued = tokens.issue(actor, request);
        e.tokens.add(issued.token());
        return issued;
    }

    private static Integer botRole(Random random) {
        return List.of(30, 40, 50).get(random.nextInt(3));
    }

    private static <T> T pick(Random random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static Set<Long> ids(List<Group> groups) {
        Set<Long> ids = new LinkedHashSet<>();
        groups.forEach(g -> ids.add(g.id()));
        return ids;
    }

    private static String gid(AccessToken t) {
        return "gid://patrol/" + t.reference();
    }

    /** The tokens {@code accessToken(id)} returns to this caller, asked in batches of aliased fields. */
    private static Set<String> allowedById(HttpGraphQlTester api, List<AccessToken> tokens) {
        Set<String> allowed = new TreeSet<>();
        for (int from = 0; from < tokens.size(); from += BY_ID_BATCH) {
            List<AccessToken> batch = tokens.subList(from, Math.min(tokens.size(), from + BY_ID_BATCH));
            StringBuilder document = new StringBuilder("{");
            for (int i = 0; i < batch.size(); i++) {
                document.append(" t").append(i).append(": accessToken(id: \"").append(gid(batch.get(i)))
                        .append("\") { id }");
            }
            GraphQlTester.Response response = api.document(document.append(" }").toString()).execute();
            response.errors().filter(error -> "NOT_FOUND".equals(error.getExtensions().get("code"))).verify();
            Map<String, Object> data = response.returnResponse().getData();
            for (int i = 0; i < batch.size(); i++) {
                if (data.get("t" + i) instanceof Map<?, ?> token) {
                    allowed.add((String) token.get("id"));
                }
            }
        }
        return allowed;
    }

    /** Every page of {@code accessTokens} for the marker. */
    private static Set<String> listed(HttpGraphQlTester api, String marker) {
        Set<String> ids = new TreeSet<>();
        String after = null;
        for (int guard = 0; guard < 100; guard++) {
            var response = api.document(LIST).variable("search", marker).variable("after", after).execute();
            ids.addAll(response.path("accessTokens.nodes[*].id").entityList(String.class).get());
            if (!response.path("accessTokens.pageInfo.hasNextPage").entity(Boolean.class).get()) {
                return ids;
            }
            after = response.path("accessTokens.pageInfo.endCursor").entity(String.class).get();
        }
        throw new AssertionError("paging did not end");
    }

    /** Every page of the group's inventory of access tokens (not SSH keys) for the marker. */
    private static Set<String> inventory(HttpGraphQlTester api, String groupPath, String marker) {
        List<String> types = Arrays.stream(TokenType.values()).map(TokenType::name).toList();
        Set<String> ids = new TreeSet<>();
        String after = null;
        for (int guard = 0; guard < 100; guard++) {
            var response = api.document(INVENTORY).variable("path", groupPath).variable("search", marker)
                    .variable("types", types).variable("after", after).execute();
            ids.addAll(response.path("credentialsInventory.nodes[*].id").entityList(String.class).get());
            if (!response.path("credentialsInventory.pageInfo.hasNextPage").entity(Boolean.class).get()) {
                return ids;
            }
            after = response.path("credentialsInventory.pageInfo.endCursor").entity(String.class).get();
        }
        throw new AssertionError("paging did not end");
    }
}
