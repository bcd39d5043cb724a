package dev.patrol.inventory;

import static dev.patrol.inventory.FilterBuilder.filter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.util.AopTestUtils;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.Actor;
import dev.patrol.shared.ErrorCode;
import dev.patrol.shared.PageRequest;
import dev.patrol.shared.PatrolException;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.SqlRecorder;
import dev.patrol.support.TestConfig;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

@PatrolTest
class CredentialsInventoryTest {

    static final LocalDate TODAY = LocalDate.of(2026, 3, 10);

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired OwnerService owners;
    @Autowired TokenService tokens;
    @Autowired InventoryService inventory;
    @Autowired InventoryRepository repository;
    @Autowired DSLContext dsl;
    @Autowired MutableClock clock;

    InventoryEstate estate;
    Actor owner;

    @BeforeEach
    void estate() {
        clock.set(TestConfig.START);
        estate = new InventoryEstate(fixtures, owners, tokens, dsl, TODAY);
        owner = fixtures.actor(estate.owner);
    }

    // visibility

    @Test
    void aGroupOwnerSeesTheGroupsCredentialsAndNothingOfAnotherGroup() {
        InventoryEstate other = new InventoryEstate(fixtures, owners, tokens, dsl, TODAY);
        HttpGraphQlTester tester = InventoryEstate.tester(port, estate.ownerToken);

        List<String> ids = tester.document("""
                        query($path: String) { credentialsInventory(groupPath: $path, first: 100) { nodes { id } count } }""")
                .variable("path", estate.group.fullPath()).execute()
                .path("credentialsInventory.nodes[*].id").entityList(String.class).get();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(estate.ids());
        assertThat(ids).doesNotContainAnyElementsOf(other.ids());

        tester.document("query($path: String) { credentialsInventory(groupPath: $path) { count } }")
                .variable("path", other.group.fullPath()).execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
    }

    @Test
    void impersonationTokensOfEnterpriseUsersStayWithAdministrators() {
        IssuedToken impersonation = tokens.issue(Actor.system(), new NewToken(TokenType.IMPERSONATION, "support",
                null, List.of("api"), TODAY.plusDays(9), estate.enterprise.id(), null, null, null, null, null));
        String query = """
                query($path: String) {
                  credentialsInventory(groupPath: $path, filter: {types: [IMPERSONATION]}) { nodes { id } }
                }""";

        InventoryEstate.tester(port, estate.ownerToken).document(query).variable("path", estate.group.fullPath())
                .execute().path("credentialsInventory.nodes").entityList(Object.class).hasSize(0);
        InventoryEstate.tester(port, fixtures.pat(fixtures.admin(), "read_api")).document(query)
                .variable("path", estate.group.fullPath()).execute()
                .path("credentialsInventory.nodes[*].id").entityList(String.class)
                .containsExactly(InventoryEstate.gid(impersonation));
    }

    @Test
    void membersBelowOwnerAndNonAdminsWithoutAGroupAreRefused() {
        HttpGraphQlTester maintainer = InventoryEstate.tester(port, fixtures.pat(estate.maintainer, "api"));
        maintainer.document("query($path: String) { credentialsInventory(groupPath: $path) { count } }")
                .variable("path", estate.group.fullPath()).execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
        InventoryEstate.tester(port, estate.ownerToken).document("{ credentialsInventory { count } }").execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
    }

    @Test
    void anAdminSeesEveryGroupAndTokensOutsideGroups() {
        InventoryEstate other = new InventoryEstate(fixtures, owners, tokens, dsl, TODAY);
        User admin = fixtures.admin();
        List<String> ids = new ArrayList<>();
        for (String username : List.of(estate.enterprise.username(), other.serviceAccount.username(),
                estate.owner.username())) {
            inventory.list(fixtures.actor(admin), null, filter().ownerUsername(username).build(), null, page(100))
                    .nodes().forEach(c -> ids.add(c.globalId()));
        }
        assertThat(ids).contains(InventoryEstate.gid(estate.enterprisePat), InventoryEstate.gid(other.serviceAccountPat),
                InventoryEstate.gid(estate.ownerToken));
    }

    @Test
    void aSubgroupHasNoInventoryOfItsOwn() {
        fixtures.member(estate.owner, estate.group, AccessLevel.OWNER);
        String subgroup = fixtures.subgroup(estate.group).fullPath();
        assertCode(() -> inventory.list(owner, subgroup, null, null, page(10)), ErrorCode.BAD_USER_INPUT);
    }

    // filters

    @Test
    void filtersByTypeStateOwnerAndName() {
        assertThat(names(filter().types("DEPLOY"))).containsExactly("deploy");
        assertThat(names(filter().types("SSH_KEY"))).containsExactly("enterprise laptop key");
        assertThat(names(filter().types("PROJECT", "GROUP"))).containsExactlyInAnyOrder("ci", "group-bot");
        assertThat(names(filter().ownerUsername(estate.enterprise.username())))
                .containsExactlyInAnyOrder("laptop, \"home\"", "reader", "enterprise laptop key");
        assertThat(names(filter().ownerSearch(estate.serviceAccount.username().toUpperCase())))
                .containsExactly("deployer");
        assertThat(names(filter().ownerKinds(UserKind.SERVICE_ACCOUNT))).containsExactly("deployer");
        assertThat(names(filter().ownerKinds(UserKind.PROJECT_BOT, UserKind.GROUP_BOT)))
                .containsExactlyInAnyOrder("ci", "group-bot");
        assertThat(names(filter().search("READ"))).containsExactly("reader");

        tokens.revoke(Actor.system(), estate.enterpriseReadPat.token().id());
        assertThat(names(filter().states(CredentialState.REVOKED))).containsExactly("reader");
        assertThat(names(filter().states(CredentialState.ACTIVE))).hasSize(6).doesNotContain("reader");

        clock.advance(Duration.ofDays(11));
        assertThat(names(filter().states(CredentialState.EXPIRED)))
                .containsExactlyInAnyOrder("laptop, \"home\"", "enterprise laptop key");
        assertThat(names(filter().states(CredentialState.INACTIVE)))
                .containsExactlyInAnyOrder("laptop, \"home\"", "enterprise laptop key", "reader");
    }

    @Test
    void filtersByScopes() {
        assertThat(names(filter().scopesAnyOf("write_repository", "read_registry")))
                .containsExactlyInAnyOrder("laptop, \"home\"", "deploy");
        assertThat(names(filter().scopesAllOf("api", "write_repository"))).containsExactly("laptop, \"home\"");
        assertThat(names(filter().scopesAllOf("api"))).containsExactlyInAnyOrder("laptop, \"home\"", "deployer");
        assertCode(() -> names(filter().scopesAnyOf("everything")), ErrorCode.BAD_USER_INPUT);
    }

    /**
     * "Active api tokens of humans by expiry" must be a walk of the expiry index that stops after the page. A
     * condition on the owner's columns in the WHERE makes the owner's outer join an inner one, and an EXISTS on the
     * scopes becomes a semi-join: either lets the planner drive from users or scopes and sort the whole slice (over
     * 10 s on a million tokens). So the page's statement must filter on its own row only.
     */
    @Test
    void ownerKindAndScopeFiltersLeaveThePageAWalkOfTheTokensIndex() {
        // the bean is a proxy (exception translation): the setting belongs to the object behind it
        InventoryRepository target = AopTestUtils.getUltimateTargetObject(repository);
        target.rareScope = 0; // here every scope some token carries counts as common, as api does in an estate
        try {
            String pageSql = pageSqlOfActiveHumanTokensWith("api");
            assertThat(pageSql).doesNotContain("exists").doesNotContain("users.kind in");
            assertThat(pageSql.replace("left outer join", "")).doesNotContain(" join ");
        } finally {
            target.rareScope = InventoryRepository.RARE_SCOPE;
        }
    }

    /** A scope few tokens carry (sudo) is the better place to start: the planner may, through an EXISTS. */
    @Test
    void aRareScopeStaysAConditionThePlannerMayStartFrom() {
        assertThat(pageSqlOfActiveHumanTokensWith("sudo")).contains("exists").doesNotContain("users.kind in");
    }

    private String pageSqlOfActiveHumanTokensWith(String scope) {
        InventoryFilter view = filter().states(CredentialState.ACTIVE).scopesAnyOf(scope).ownerKinds(UserKind.HUMAN)
                .build();
        Actor admin = fixtures.actor(fixtures.admin());
        List<String> statements = SqlRecorder.during(dsl, () -> assertThat(
                inventory.list(admin, null, view, InventorySort.EXPIRES_ASC, page(100)).nodes())
                .allSatisfy(c -> assertThat(c.scopes()).contains(scope)));
        return statements.stream().filter(sql -> sql.toLowerCase().contains("order by")).findFirst()
                .orElseThrow().toLowerCase().replaceAll("[`\"]", "");
    }

    @Test
    void theCountStopsOneBeyondItsLimit() {
        var scope = inventory.scope(owner, estate.group.fullPath());
        assertThat(repository.countUpTo(scope, InventoryFilter.ALL, 100)).isEqualTo(7);
        assertThat(repository.countUpTo(scope, InventoryFilter.ALL, 7)).isEqualTo(7);
        assertThat(repository.countUpTo(scope, InventoryFilter.ALL, 3)).isEqualTo(4);
        assertThat(repository.countUpTo(scope, filter().types("SSH_KEY").build(), 3)).isEqualTo(1);
    }

    @Test
    void filtersByDates() {
        assertThat(names(filter().createdBefore("2026-02-01T00:00:00Z"))).containsExactly("enterprise laptop key");
        assertThat(names(filter().createdAfter("2026-02-01T00:00:00Z"))).hasSize(6);
        assertThat(names(filter().expiresBefore(TODAY.plusDays(10)))).containsExactly("enterprise laptop key");
        assertThat(names(filter().expiresAfter(TODAY.plusDays(40)))).containsExactly("deployer");
        assertThat(names(filter().expiresAfter(TODAY.plusDays(15)).expiresBefore(TODAY.plusDays(35))))
                .containsExactlyInAnyOrder("ci", "group-bot");
    }

    @Test
    void filtersByLastUseAndAddress() {
        estate.used(estate.enterprisePat, LocalDateTime.of(2026, 3, 9, 10, 0), "10.1.2.3", "2001:db8::1");
        estate.used(estate.projectToken, LocalDateTime.of(2026, 2, 1, 10, 0), "192.168.0.5");

        assertThat(names(filter().lastUsedAfter("2026-03-01T00:00:00Z"))).containsExactly("laptop, \"home\"");
        assertThat(names(filter().lastUsedBefore("2026-03-01T00:00:00Z"))).containsExactly("ci");
        assertThat(names(filter().neverUsed(true))).hasSize(5).doesNotContain("ci", "laptop, \"home\"");
        assertThat(names(filter().neverUsed(false))).containsExactlyInAnyOrder("ci", "laptop, \"home\"");
        assertThat(names(filter().lastUsedIp("10.1.2.3"))).containsExactly("laptop, \"home\"");
        assertThat(names(filter().lastUsedIp("10.0.0.0/8"))).containsExactly("laptop, \"home\"");
        assertThat(names(filter().lastUsedIp("192.168.0.0/23"))).containsExactly("ci");
        assertThat(names(filter().lastUsedIp("2001:db8::/32"))).containsExactly("laptop, \"home\"");
        assertThat(names(filter().lastUsedIp("2001:db9::/32"))).isEmpty();
        assertThat(names(filter().lastUsedIp("11.0.0.0/8"))).isEmpty();
        assertCode(() -> names(filter().lastUsedIp("example.com")), ErrorCode.BAD_USER_INPUT);
        assertCode(() -> names(filter().lastUsedIp("10.0.0.0/33")), ErrorCode.BAD_USER_INPUT);
    }

    // sorts and pages

    @Test
    void sortsByExpiryAscendingByDefaultWithNoExpiryFirst() {
        assertThat(inventory.list(owner, estate.group.fullPath(), null, null, page(100)).nodes().stream()
                .map(InventoryCredential::name).toList())
                .containsExactly("deploy", "enterprise laptop key", "laptop, \"home\"", "ci", "group-bot", "reader",
                        "deployer");
        assertThat(names(InventorySort.NAME_ASC)).containsExactly("ci", "deploy", "deployer",
                "enterprise laptop key", "group-bot", "laptop, \"home\"", "reader");
        assertThat(names(InventorySort.CREATED_DESC).getLast()).isEqualTo("enterprise laptop key");
    }

    @ParameterizedTest
    @EnumSource(InventorySort.class)
    void pagesForwardAndBackwardVisitEveryCredentialOnceInOrder(InventorySort sort) {
        estate.used(estate.enterprisePat, LocalDateTime.of(2026, 3, 9, 10, 0));
        estate.used(estate.deployToken, LocalDateTime.of(2026, 3, 9, 10, 0));
        estate.used(estate.groupToken, LocalDateTime.of(2026, 2, 9, 10, 0));
        List<String> whole = inventory.list(owner, estate.group.fullPath(), null, sort, page(100)).nodes().stream()
                .map(InventoryCredential::globalId).toList();
        assertThat(whole).containsExactlyInAnyOrderElementsOf(estate.ids());

        List<String> forward = new ArrayList<>();
        String after = null;
        do {
            var connection = inventory.list(owner, estate.group.fullPath(), null, sort,
                    PageRequest.of(3, after, null, null));
            connection.nodes().forEach(c -> forward.add(c.globalId()));
            after = connection.pageInfo().hasNextPage() ? connection.pageInfo().endCursor() : null;
        } while (after != null);
        assertThat(forward).containsExactlyElementsOf(whole);

        List<String> backward = new ArrayList<>();
        String before = null;
        boolean more;
        do {
            var connection = inventory.list(owner, estate.group.fullPath(), null, sort,
                    PageRequest.of(null, null, 2, before));
            backward.addAll(0, connection.nodes().stream().map(InventoryCredential::globalId).toList());
            more = connection.pageInfo().hasPreviousPage();
            before = connection.pageInfo().startCursor();
        } while (more);
        assertThat(backward).containsExactlyElementsOf(whole);
    }

    @ParameterizedTest
    @EnumSource(value = InventorySort.class, names = {"OWNER_ASC", "OWNER_DESC"})
    void ownerOrderCrossesUsernameWindows(InventorySort sort) {
        List<String> whole = inventory.list(owner, estate.group.fullPath(), null, sort, page(100)).nodes().stream()
                .map(InventoryCredential::globalId).toList();
        repository.ownerWindow = 1;
        try {
            pagesForwardAndBackwardVisitEveryCredentialOnceInOrder(sort);
            assertThat(inventory.list(owner, estate.group.fullPath(), null, sort, page(100)).nodes().stream()
                    .map(InventoryCredential::globalId).toList()).containsExactlyElementsOf(whole);
        } finally {
            repository.ownerWindow = InventoryRepository.OWNER_WINDOW;
        }
        List<String> owners = inventory.list(owner, estate.group.fullPath(), null, sort, page(100)).nodes().stream()
                .map(c -> c.ownerUsername() == null ? "" : c.ownerUsername()).toList();
        List<String> sorted = new ArrayList<>(owners);
        sorted.sort(sort == InventorySort.OWNER_ASC ? java.util.Comparator.naturalOrder()
                : java.util.Comparator.reverseOrder());
        assertThat(owners).containsExactlyElementsOf(sorted);
    }

    @Test
    void anAdminPagesTheWholeInstanceByOwnerAcrossWindows() {
        String prefix = Fixtures.unique("owner-order");
        for (String suffix : List.of("c", "a", "d", "b")) {
            User user = fixtures.user(prefix + "-" + suffix, false, UserKind.HUMAN);
            fixtures.pat(user, "read_api");
            fixtures.pat(user, "api");
        }
        Actor admin = fixtures.actor(fixtures.admin());
        InventoryFilter mine = filter().ownerSearch(prefix).build();
        repository.ownerWindow = 2;
        try {
            List<String> owners = new ArrayList<>();
            String after = null;
            do {
                var connection = inventory.list(admin, null, mine, InventorySort.OWNER_DESC,
                        PageRequest.of(3, after, null, null));
                connection.nodes().forEach(c -> owners.add(c.ownerUsername()));
                after = connection.pageInfo().hasNextPage() ? connection.pageInfo().endCursor() : null;
            } while (after != null);
            assertThat(owners).containsExactly(prefix + "-d", prefix + "-d", prefix + "-c", prefix + "-c",
                    prefix + "-b", prefix + "-b", prefix + "-a", prefix + "-a");
        } finally {
            repository.ownerWindow = InventoryRepository.OWNER_WINDOW;
        }
    }

    @Test
    void aCursorOfAnotherSortIsRejected() {
        var first = inventory.list(owner, estate.group.fullPath(), null, InventorySort.NAME_ASC, page(2));
        assertCode(() -> inventory.list(owner, estate.group.fullPath(), null, InventorySort.CREATED_ASC,
                PageRequest.of(2, first.pageInfo().endCursor(), null, null)), ErrorCode.BAD_USER_INPUT);
    }

    @Test
    void aPageCostsTheSameStatementsWhateverItsSize() {
        estate.used(estate.enterprisePat, LocalDateTime.of(2026, 3, 9, 10, 0), "10.1.2.3");
        HttpGraphQlTester tester = InventoryEstate.tester(port, estate.ownerToken);
        String query = """
                query($path: String, $n: Int) {
                  credentialsInventory(groupPath: $path, first: $n) {
                    nodes { id kind type name scopes role resourcePath expiresAt lastUsedAt lastUsedIps owner { username } }
                  }
                }""";
        tester.document("{ currentUser { id } }").execute(); // the first request authenticates against the database
        int small = SqlRecorder.during(dsl, () -> tester.document(query).variable("path", estate.group.fullPath())
                .variable("n", 2).execute().path("credentialsInventory.nodes").entityList(Map.class).hasSize(2)).size();
        int large = SqlRecorder.during(dsl, () -> tester.document(query).variable("path", estate.group.fullPath())
                .variable("n", 8).execute().path("credentialsInventory.nodes").entityList(Map.class).hasSize(7)).size();
        assertThat(large).isEqualTo(small);
        assertThat(large).isLessThanOrEqualTo(16);
    }

    /**
     * The page's rows bring their owners, scopes and addresses: one statement per source (tokens, SSH keys) and
     * nothing per field, where the owners used to be a third statement of their own.
     */
    @Test
    void aPageWithOwnersCostsOneStatementPerSource() {
        HttpGraphQlTester tester = InventoryEstate.tester(port, estate.ownerToken);
        String query = """
                query($path: String) {
                  credentialsInventory(groupPath: $path, first: 100) {
                    nodes { id name scopes lastUsedIps owner { username kind } }
                  }
                }""";
        tester.document(query).variable("path", estate.group.fullPath()).execute(); // authenticates, warms caches
        List<String> scope = SqlRecorder.during(dsl, () -> inventory.scope(owner, estate.group.fullPath()));
        List<String> statements = SqlRecorder.during(dsl, () -> tester.document(query)
                .variable("path", estate.group.fullPath()).execute()
                .path("credentialsInventory.nodes").entityList(Map.class).hasSize(7));
        assertThat(statements).hasSize(scope.size() + 2);
    }

    @Test
    void nodesCarryOwnerScopesRoleResourceAndAddresses() {
        estate.used(estate.enterprisePat, LocalDateTime.of(2026, 3, 9, 10, 0), "10.1.2.3");
        HttpGraphQlTester tester = InventoryEstate.tester(port, estate.ownerToken);
        var response = tester.document("""
                        query($path: String) {
                          credentialsInventory(groupPath: $path, sort: NAME_ASC, first: 100) {
                            count
                            nodes { id kind type name state revoked scopes role resourcePath createdAt expiresAt
                                    lastUsedAt lastUsedIps owner { username } }
                          }
                        }""")
                .variable("path", estate.group.fullPath()).execute();
        response.path("credentialsInventory.count").entity(Integer.class).isEqualTo(7);
        response.path("credentialsInventory.nodes[0].name").entity(String.class).isEqualTo("ci");
        response.path("credentialsInventory.nodes[0].type").entity(String.class).isEqualTo("PROJECT");
        response.path("credentialsInventory.nodes[0].role").entity(String.class).isEqualTo("DEVELOPER");
        response.path("credentialsInventory.nodes[0].resourcePath").entity(String.class)
                .isEqualTo(estate.project.fullPath());
        response.path("credentialsInventory.nodes[0].scopes").entityList(String.class).containsExactly("read_repository");
        response.path("credentialsInventory.nodes[3].kind").entity(String.class).isEqualTo("SSH_KEY");
        response.path("credentialsInventory.nodes[3].owner.username").entity(String.class)
                .isEqualTo(estate.enterprise.username());
        response.path("credentialsInventory.nodes[3].scopes").entityList(String.class).hasSize(0);
        response.path("credentialsInventory.nodes[5].lastUsedIps").entityList(String.class).containsExactly("10.1.2.3");
        response.path("credentialsInventory.nodes[5].lastUsedAt").entity(String.class)
                .isEqualTo("2026-03-09T10:00:00.000Z");
        response.path("credentialsInventory.nodes[5].scopes").entityList(String.class)
                .containsExactly("api", "write_repository");
        response.path("credentialsInventory.nodes[5].state").entity(String.class).isEqualTo("ACTIVE");
    }

    private List<String> names(FilterBuilder f) {
        return inventory.list(owner, estate.group.fullPath(), f.build(), null, page(100)).nodes().stream()
                .map(InventoryCredential::name).toList();
    }

    private List<String> names(InventorySort sort) {
        return inventory.list(owner, estate.group.fullPath(), null, sort, page(100)).nodes().stream()
                .map(InventoryCredential::name).toList();
    }

    static PageRequest page(int size) {
        return PageRequest.of(size, null, null, null);
    }

    static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PatrolException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
