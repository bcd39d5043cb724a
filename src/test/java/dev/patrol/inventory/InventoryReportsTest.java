package dev.patrol.inventory;

import static dev.patrol.inventory.CredentialsInventoryTest.TODAY;
import static dev.patrol.inventory.CredentialsInventoryTest.assertCode;
import static dev.patrol.inventory.FilterBuilder.filter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.LocalDateTime;
import java.util.List;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import dev.patrol.inventory.InventoryRepository.DateCount;
import dev.patrol.inventory.InventoryRepository.TypeStateCount;
import dev.patrol.inventory.InventoryService.Interval;
import dev.patrol.inventory.InventoryService.Stats;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.SourceType;
import dev.patrol.shared.Actor;
import dev.patrol.shared.ErrorCode;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.token.TokenService;

@PatrolTest
class InventoryReportsTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired OwnerService owners;
    @Autowired TokenService tokens;
    @Autowired InventoryService inventory;
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

    // aggregates

    @Test
    void countsByTypeAndState() {
        tokens.revoke(Actor.system(), estate.enterpriseReadPat.token().id());
        Stats stats = inventory.stats(owner, estate.group.fullPath(), null);

        assertThat(inventory.countsByTypeAndState(stats))
                .extracting(TypeStateCount::type, TypeStateCount::state, TypeStateCount::count)
                .containsExactlyInAnyOrder(
                        tuple("DEPLOY", CredentialState.ACTIVE, 1L),
                        tuple("GROUP", CredentialState.ACTIVE, 1L),
                        tuple("PERSONAL", CredentialState.ACTIVE, 2L),
                        tuple("PERSONAL", CredentialState.REVOKED, 1L),
                        tuple("PROJECT", CredentialState.ACTIVE, 1L),
                        tuple("SSH_KEY", CredentialState.ACTIVE, 1L));
        assertThat(inventory.countsByTypeAndState(inventory.stats(owner, estate.group.fullPath(),
                filter().types("SSH_KEY").build())))
                .extracting(TypeStateCount::type).containsExactly("SSH_KEY");
    }

    @Test
    void expiryDatesHistogramAndTopTen() {
        tokens.issue(Actor.system(), dev.patrol.token.NewToken.personal(estate.enterprise.id(), "second on day 10",
                List.of("read_api"), TODAY.plusDays(10)));
        Stats stats = inventory.stats(owner, estate.group.fullPath(), null);

        assertThat(inventory.topExpiryDates(stats).getFirst()).isEqualTo(new DateCount(TODAY.plusDays(10), 2));
        assertThat(inventory.topExpiryDates(stats)).hasSize(6);
        assertThat(inventory.expiryHistogram(stats, Interval.DAY, TODAY, TODAY.plusDays(10)))
                .containsExactly(new DateCount(TODAY.plusDays(5), 1), new DateCount(TODAY.plusDays(10), 2));
        // 2026-03-10 is a Tuesday: days 5 and 10 fall in the weeks of Monday 03-09... 03-16
        assertThat(inventory.expiryHistogram(stats, Interval.WEEK, TODAY, TODAY.plusDays(30)))
                .containsExactly(new DateCount(TODAY.plusDays(-1), 1), new DateCount(TODAY.plusDays(6), 2),
                        new DateCount(TODAY.plusDays(20), 1), new DateCount(TODAY.plusDays(27), 1));
        assertThat(inventory.expiryHistogram(stats, Interval.MONTH, TODAY, TODAY.plusDays(120)))
                .containsExactly(new DateCount(TODAY.withDayOfMonth(1), 4),
                        new DateCount(TODAY.plusMonths(1).withDayOfMonth(1), 2),
                        new DateCount(TODAY.plusMonths(3).withDayOfMonth(1), 1));
        assertCode(() -> inventory.expiryHistogram(stats, Interval.DAY, TODAY, TODAY.minusDays(1)),
                ErrorCode.BAD_USER_INPUT);
    }

    @Test
    void riskCountsOverGraphQl() {
        estate.used(estate.enterprisePat, LocalDateTime.of(2026, 3, 9, 10, 0));
        estate.used(estate.serviceAccountPat, LocalDateTime.of(2025, 11, 1, 10, 0));
        owners.block(Actor.system(), estate.enterprise.id());
        owners.removeMember(Actor.system(), SourceType.PROJECT, estate.project.id(), estate.maintainer.id());

        HttpGraphQlTester tester = InventoryEstate.tester(port, estate.ownerToken);
        var stats = tester.document("""
                        query($path: String) { inventoryStats(groupPath: $path) {
                          withoutExpiry expiringWithin(days: 10) neverUsed unusedFor(days: 90) ofBlockedUsers ownerLeftGroup
                          countsByTypeAndState { type state count } topExpiryDates { date count } } }""")
                .variable("path", estate.group.fullPath()).execute();
        stats.path("inventoryStats.withoutExpiry").entity(Integer.class).isEqualTo(1);
        stats.path("inventoryStats.expiringWithin").entity(Integer.class).isEqualTo(2);
        stats.path("inventoryStats.neverUsed").entity(Integer.class).isEqualTo(5);
        // the service account's token, last used in November; never-used ones count from their creation
        stats.path("inventoryStats.unusedFor").entity(Integer.class).isEqualTo(1);
        stats.path("inventoryStats.ofBlockedUsers").entity(Integer.class).isEqualTo(3);
        // the project token and the deploy token were created by the maintainer who left
        stats.path("inventoryStats.ownerLeftGroup").entity(Integer.class).isEqualTo(2);
    }

    // least privilege

    @Test
    void overPrivilegedTokensGetTheNarrowestCoveringScopes() {
        LocalDateTime recently = LocalDateTime.of(2026, 3, 1, 0, 0);
        estate.exercised(estate.enterprisePat, "read_api", recently);
        estate.exercised(estate.enterprisePat, "read_repository", recently);
        estate.exercised(estate.serviceAccountPat, "api", recently);
        estate.exercised(estate.groupToken, "read_api", LocalDateTime.of(2025, 1, 1, 0, 0));
        estate.exercised(estate.projectToken, "read_repository", recently);

        var report = inventory.overPrivileged(owner, estate.group.fullPath(), 30, 100);

        assertThat(report).extracting(r -> r.credential().name())
                .containsExactlyInAnyOrder("laptop, \"home\"", "reader", "group-bot", "deploy");
        var laptop = report.stream().filter(r -> r.credential().name().startsWith("laptop")).findFirst().orElseThrow();
        assertThat(laptop.grantedScopes()).containsExactly("api", "write_repository");
        assertThat(laptop.suggestedScopes()).containsExactly("read_api", "read_repository");
        assertThat(laptop.unusedScopes()).containsExactly("api", "write_repository");
        var groupBot = report.stream().filter(r -> r.credential().name().equals("group-bot")).findFirst().orElseThrow();
        assertThat(groupBot.usedScopes()).isEmpty();
        assertThat(groupBot.suggestedScopes()).isEmpty();
    }

    @Test
    void scopeImplicationDropsScopesAnotherUsedScopeIncludes() {
        assertThat(ScopeImplication.minimal(List.of("read_api", "api", "read_user"))).containsExactly("api");
        assertThat(ScopeImplication.minimal(List.of("read_repository", "write_repository", "read_registry")))
                .containsExactly("write_repository", "read_registry");
    }

    // offboarding

    @Test
    void offboardingListsWhatBreaksAndWhatTheUserCreated() {
        estate.used(estate.enterprisePat, LocalDateTime.of(2026, 3, 9, 10, 0), "10.1.2.3");
        HttpGraphQlTester tester = InventoryEstate.tester(port, estate.ownerToken);
        var impact = tester.document("""
                        query($u: String!) { offboardingImpact(username: $u) {
                          user { username } breaking { name lastUsedAt lastUsedIps } createdByUser { name } } }""")
                .variable("u", estate.enterprise.username()).execute();
        assertThat(impact.path("offboardingImpact.breaking[*].name").entityList(String.class).get())
                .containsExactlyInAnyOrder("laptop, \"home\"", "reader", "enterprise laptop key");
        impact.path("offboardingImpact.createdByUser").entityList(Object.class).hasSize(0);

        var maintainer = inventory.offboardingImpact(fixtures.actor(fixtures.admin()), estate.maintainer.username());
        assertThat(maintainer.createdByUser()).extracting(InventoryCredential::name)
                .containsExactlyInAnyOrder("ci", "deploy");
        assertCode(() -> inventory.offboardingImpact(owner, estate.maintainer.username()), ErrorCode.FORBIDDEN);
    }
}
