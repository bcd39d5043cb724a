package dev.patrol.token;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.NewUser;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
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

@PatrolTest
class AccessTokenListTest {

    // language=GraphQL
    private static final String PAGE = """
            query page($filter: AccessTokenFilter, $sort: AccessTokenSort, $first: Int, $after: String,
                       $last: Int, $before: String) {
              accessTokens(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
                nodes { id name }
                pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
              }
            }""";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired TokenAccessPolicy policy;
    @Autowired SettingsService settings;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;
    @Autowired TokenRepository repository;
    @Autowired OwnerService owners;

    @BeforeEach
    void reset() {
        clock.set(TestConfig.START);
        settings.update(Actor.system(), new SettingsChange(365, true, true));
    }

    /** Seven tokens of one user with duplicate names, missing expiry and last-used dates, and revoked ones. */
    private record Estate(User owner, HttpGraphQlTester admin, List<AccessToken> tokens) {
    }

    private Estate estate() {
        User owner = fixtures.human();
        String[] names = {"beta", "alpha", "delta", "alpha", "gamma", "epsilon", "beta"};
        String[][] scopes = {{"api"}, {"read_api"}, {"api", "read_user"}, {"read_user"}, {"read_api", "read_user"},
                {"api"}, {"read_repository"}};
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            clock.advance(Duration.ofMinutes(7 - i * 3L + 10L * (i % 2)));
            ids.add(tokens.issue(Actor.system(), NewToken.personal(owner.id(), names[i], List.of(scopes[i]),
                    LocalDate.of(2026, 4, 1).plusDays((i * 5L) % 4))).token().id());
        }
        // expiry and last use as api-auth and the console leave them: some never expire, some never used
        dsl.update(ACCESS_TOKENS).set(ACCESS_TOKENS.EXPIRES_AT, (LocalDate) null)
                .where(ACCESS_TOKENS.ID.in(ids.get(1), ids.get(4))).execute();
        for (int i : new int[] {0, 2, 3, 5}) {
            dsl.update(ACCESS_TOKENS).set(ACCESS_TOKENS.LAST_USED_AT, LocalDateTime.of(2026, 3, 10, 12, 0).plusHours(i % 3))
                    .where(ACCESS_TOKENS.ID.eq(ids.get(i))).execute();
        }
        tokens.revoke(Actor.system(), ids.get(5));
        clock.set(TestConfig.START);
        return new Estate(owner, GraphQlClients.as(port, fixtures.pat(fixtures.admin(), "api")),
                repository.findByIds(ids));
    }

    @Test
    void everySortPagesForwardAndBackwardInTheSameOrder() {
        Estate estate = estate();
        Map<String, Object> filter = Map.of("ownerUsername", estate.owner().username());
        for (TokenSort sort : TokenSort.values()) {
            List<String> expected = estate.tokens().stream().sorted(comparator(sort))
                    .map(t -> gid(t)).toList();
            assertThat(forward(estate.admin(), filter, sort, 3)).as(sort + " forward").isEqualTo(expected);
            assertThat(backward(estate.admin(), filter, sort, 3)).as(sort + " backward").isEqualTo(expected);
            assertThat(forward(estate.admin(), filter, sort, 100)).as(sort + " one page").isEqualTo(expected);
        }
    }

    @Test
    void everyFilterSelectsExactlyTheMatchingTokens() {
        Estate estate = estate();
        LocalDate today = tokens.today();
        Map<String, Predicate<AccessToken>> cases = new LinkedHashMap<>();
        Map<String, Map<String, Object>> filters = new HashMap<>();
        add(cases, filters, "types", Map.of("types", List.of("PERSONAL")), t -> true);
        add(cases, filters, "types none", Map.of("types", List.of("DEPLOY")), t -> false);
        add(cases, filters, "active", Map.of("state", "ACTIVE"), t -> t.isActive(today));
        add(cases, filters, "inactive", Map.of("state", "INACTIVE"), t -> !t.isActive(today));
        add(cases, filters, "revoked", Map.of("revoked", true), AccessToken::isRevoked);
        add(cases, filters, "unrevoked", Map.of("revoked", false), t -> !t.isRevoked());
        add(cases, filters, "scopesAnyOf", Map.of("scopesAnyOf", List.of("api", "read_repository")),
                t -> t.hasScope(Scope.API) || t.hasScope(Scope.READ_REPOSITORY));
        add(cases, filters, "scopesAllOf", Map.of("scopesAllOf", List.of("read_api", "read_user")),
                t -> t.hasScope(Scope.READ_API) && t.hasScope(Scope.READ_USER));
        add(cases, filters, "expiresBefore", Map.of("expiresBefore", "2026-04-03"),
                t -> t.expiresAt() != null && t.expiresAt().isBefore(LocalDate.of(2026, 4, 3)));
        add(cases, filters, "expiresAfter", Map.of("expiresAfter", "2026-04-02"),
                t -> t.expiresAt() != null && t.expiresAt().isAfter(LocalDate.of(2026, 4, 2)));
        LocalDateTime middle = estate.tokens().get(3).createdAt();
        add(cases, filters, "createdBefore", Map.of("createdBefore", iso(middle)), t -> t.createdAt().isBefore(middle));
        add(cases, filters, "createdAfter", Map.of("createdAfter", iso(middle)), t -> t.createdAt().isAfter(middle));
        LocalDateTime used = LocalDateTime.of(2026, 3, 10, 13, 0);
        add(cases, filters, "lastUsedBefore", Map.of("lastUsedBefore", "2026-03-10T13:00:00Z"),
                t -> t.lastUsedAt() != null && t.lastUsedAt().isBefore(used));
        add(cases, filters, "lastUsedAfter", Map.of("lastUsedAfter", "2026-03-10T12:00:00+00:00"),
                t -> t.lastUsedAt() != null && t.lastUsedAt().isAfter(used.minusHours(1)));
        add(cases, filters, "search", Map.of("search", "LPH"), t -> t.name().equals("alpha"));
        add(cases, filters, "search wildcard", Map.of("search", "%"), t -> false);

        cases.forEach((name, matches) -> {
            Map<String, Object> filter = new HashMap<>(filters.get(name));
            filter.put("ownerUsername", estate.owner().username());
            List<String> expected = estate.tokens().stream().filter(matches)
                    .sorted(comparator(TokenSort.CREATED_DESC)).map(AccessTokenListTest::gid).toList();
            assertThat(forward(estate.admin(), filter, TokenSort.CREATED_DESC, 100)).as(name).isEqualTo(expected);
        });
    }

    private static void add(Map<String, Predicate<AccessToken>> cases, Map<String, Map<String, Object>> filters,
            String name, Map<String, Object> filter, Predicate<AccessToken> matches) {
        cases.put(name, matches);
        filters.put(name, filter);
    }

    @Test
    void countIsTheWholeFilteredListAndCursorsAreChecked() {
        Estate estate = estate();
        estate.admin().document("""
                query($u: String) { accessTokens(filter: {ownerUsername: $u, revoked: false}, first: 2) { count nodes { id } } }""")
                .variable("u", estate.owner().username()).execute()
                .path("accessTokens.count").entity(Integer.class).isEqualTo(6)
                .path("accessTokens.nodes").entityList(Object.class).hasSize(2);

        String cursor = estate.admin().document(PAGE).variable("sort", "NAME_ASC").variable("first", 1)
                .variable("filter", Map.of("ownerUsername", estate.owner().username())).execute()
                .path("accessTokens.pageInfo.endCursor").entity(String.class).get();
        estate.admin().document(PAGE).variable("sort", "EXPIRES_ASC").variable("after", cursor).execute()
                .errors().expect(e -> "BAD_USER_INPUT".equals(e.getExtensions().get("code")));
        estate.admin().document(PAGE).variable("first", 101).execute()
                .errors().expect(e -> "BAD_USER_INPUT".equals(e.getExtensions().get("code")));
        estate.admin().document(PAGE).variable("filter", Map.of("scopesAnyOf", List.of("root")))
                .execute().errors().expect(e -> "BAD_USER_INPUT".equals(e.getExtensions().get("code")));
    }

    @Test
    void eachCallerSeesExactlyTheTokensTheyMayManage() {
        String marker = Fixtures.unique("vis");
        Group top = fixtures.group();
        Group sub = fixtures.subgroup(top);
        Project project = fixtures.project(sub);
        User groupOwner = fixtures.human();
        User maintainer = fixtures.human();
        User developer = fixtures.human();
        User plain = fixtures.human();
        fixtures.member(groupOwner, top, AccessLevel.OWNER);
        fixtures.member(maintainer, project, AccessLevel.MAINTAINER);
        fixtures.member(developer, sub, AccessLevel.DEVELOPER);
        User serviceAccount = fixtures.serviceAccount(top);

        Actor system = Actor.system();
        List<AccessToken> all = new ArrayList<>();
        all.add(tokens.issue(system, new NewToken(TokenType.GROUP, marker + "-group", null, List.of("api"), null, null,
                null, sub.id(), null, 40, null)).token());
        all.add(tokens.issue(system, new NewToken(TokenType.PROJECT, marker + "-project", null, List.of("read_api"),
                null, null, project.id(), null, null, 30, null)).token());
        all.add(tokens.issue(system, new NewToken(TokenType.DEPLOY, marker + "-deploy-p", null,
                List.of("read_repository"), null, null, project.id(), null, null, null, null)).token());
        all.add(tokens.issue(system, new NewToken(TokenType.DEPLOY, marker + "-deploy-g", null,
                List.of("read_repository"), null, null, null, top.id(), null, null, null)).token());
        all.add(tokens.issue(system, new NewToken(TokenType.PIPELINE_TRIGGER, marker + "-trigger", null, null, null,
                null, project.id(), null, null, null, null)).token());
        for (User user : List.of(plain, maintainer, developer, serviceAccount)) {
            all.add(tokens.issue(system, NewToken.personal(user.id(), marker + "-pat", List.of("read_api"), null))
                    .token());
        }
        all.add(tokens.issue(system, new NewToken(TokenType.IMPERSONATION, marker + "-imp", null, List.of("api"), null,
                plain.id(), null, null, null, null, null)).token());
        all.add(tokens.issue(system, new NewToken(TokenType.FEED, marker + "-feed", null, null, null, plain.id(), null,
                null, null, null, null)).token());

        for (User caller : List.of(fixtures.admin(), groupOwner, maintainer, developer, plain)) {
            HttpGraphQlTester tester = GraphQlClients.as(port, fixtures.pat(caller, "read_api"));
            Actor actor = fixtures.actor(caller);
            List<String> expected = all.stream().filter(t -> policy.canManage(actor, t))
                    .sorted(comparator(TokenSort.CREATED_DESC)).map(AccessTokenListTest::gid).toList();
            assertThat(forward(tester, Map.of("search", marker), TokenSort.CREATED_DESC, 100))
                    .as(caller.username()).isEqualTo(expected);
        }
        // spot checks of the rule itself, so the comparison above cannot pass vacuously
        assertThat(all.stream().filter(t -> policy.canManage(fixtures.actor(groupOwner), t)).map(AccessToken::name))
                .containsExactlyInAnyOrder(marker + "-group", marker + "-project", marker + "-deploy-p",
                        marker + "-deploy-g", marker + "-trigger", marker + "-pat");
        assertThat(all.stream().filter(t -> policy.canManage(fixtures.actor(plain), t)).map(AccessToken::name))
                .containsExactlyInAnyOrder(marker + "-pat", marker + "-feed");
    }

    @Test
    void topLevelGroupOwnersFindTheirEnterpriseUsersPersonalTokensInTheListsButNotImpersonationTokens() {
        String marker = Fixtures.unique("ent");
        Group top = fixtures.group();
        User groupOwner = fixtures.human();
        fixtures.member(groupOwner, top, AccessLevel.OWNER);
        User enterprise = owners.createUser(Actor.system(), new NewUser(marker, marker, marker + "@example.com",
                UserKind.HUMAN, false, top.id()));
        AccessToken pat = tokens.issue(Actor.system(), NewToken.personal(enterprise.id(), marker + "-pat",
                List.of("read_api"), null)).token();
        tokens.issue(Actor.system(), new NewToken(TokenType.IMPERSONATION, marker + "-imp", null, List.of("api"), null,
                enterprise.id(), null, null, null, null, null));

        HttpGraphQlTester tester = GraphQlClients.as(port, fixtures.pat(groupOwner, "read_api"));
        assertThat(forward(tester, Map.of("search", marker), TokenSort.CREATED_DESC, 100)).containsExactly(gid(pat));
    }

    private static String iso(LocalDateTime utc) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(utc.atOffset(ZoneOffset.UTC));
    }

    private static String gid(AccessToken t) {
        return "gid://patrol/" + t.reference();
    }

    /** The documented order: the sort's column with NULL lowest, then the id, both in the sort's direction. */
    static Comparator<AccessToken> comparator(TokenSort sort) {
        Comparator<AccessToken> byKey = switch (sort) {
            case NAME_ASC, NAME_DESC -> Comparator.comparing(AccessToken::name);
            case CREATED_ASC, CREATED_DESC -> Comparator.comparing(AccessToken::createdAt);
            case EXPIRES_ASC, EXPIRES_DESC -> Comparator.comparing(AccessToken::expiresAt,
                    Comparator.nullsFirst(Comparator.naturalOrder()));
            case LAST_USED_ASC, LAST_USED_DESC -> Comparator.comparing(AccessToken::lastUsedAt,
                    Comparator.nullsFirst(Comparator.naturalOrder()));
        };
        Comparator<AccessToken> full = byKey.thenComparing(AccessToken::id);
        return sort.ascending() ? full : full.reversed();
    }

    private static List<String> forward(HttpGraphQlTester tester, Map<String, Object> filter, TokenSort sort,
            int size) {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int guard = 0; guard < 50; guard++) {
            var response = tester.document(PAGE).variable("filter", filter).variable("sort", sort.name())
                    .variable("first", size).variable("after", after).execute();
            ids.addAll(response.path("accessTokens.nodes[*].id").entityList(String.class).get());
            if (!response.path("accessTokens.pageInfo.hasNextPage").entity(Boolean.class).get()) {
                return ids;
            }
            after = response.path("accessTokens.pageInfo.endCursor").entity(String.class).get();
        }
        throw new AssertionError("paging did not end");
    }

    private static List<String> backward(HttpGraphQlTester tester, Map<String, Object> filter, TokenSort sort,
            int size) {
        List<String> ids = new ArrayList<>();
        String before = null;
        for (int guard = 0; guard < 50; guard++) {
            var response = tester.document(PAGE).variable("filter", filter).variable("sort", sort.name())
                    .variable("last", size).variable("before", before).execute();
            ids.addAll(0, response.path("accessTokens.nodes[*].id").entityList(String.class).get());
            if (!response.path("accessTokens.pageInfo.hasPreviousPage").entity(Boolean.class).get()) {
                return ids;
            }
            before = response.path("accessTokens.pageInfo.startCursor").entity(String.class).get();
        }
        throw new AssertionError("paging did not end");
    }

}
