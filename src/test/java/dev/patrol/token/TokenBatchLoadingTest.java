package dev.patrol.token;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKEN_LAST_USED_IPS;

import java.time.LocalDateTime;
import java.util.List;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import dev.patrol.owner.Group;
import dev.patrol.owner.Project;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.GraphQlClients;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.SqlRecorder;

/** A page of tokens with their owners, projects, groups, scopes and last-used IPs costs the same SQL for 10 or 100. */
@PatrolTest
class TokenBatchLoadingTest {

    // language=GraphQL
    private static final String PAGE = """
            query($search: String, $first: Int) {
              accessTokens(filter: {search: $search}, first: $first) {
                nodes { id name type scopes expiresAt lastUsedAt lastUsedIps active accessLevel
                        owner { username } createdBy { username } project { fullPath group { fullPath } }
                        group { fullPath parent { fullPath } } resource { id } }
                pageInfo { endCursor hasNextPage }
              }
            }""";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired DSLContext dsl;

    @Test
    void aPageCostsAConstantNumberOfStatements() {
        String marker = Fixtures.unique("batch");
        Group group = fixtures.group();
        Group sub = fixtures.subgroup(group);
        List<Project> projects = List.of(fixtures.project(group), fixtures.project(sub));
        for (int i = 0; i < 100; i++) {
            NewToken request = switch (i % 4) {
                case 0 -> new NewToken(TokenType.PROJECT, marker + "-p" + i, null, List.of("api", "read_api"), null,
                        null, projects.get(i % 2).id(), null, null, null, null);
                case 1 -> new NewToken(TokenType.GROUP, marker + "-g" + i, null, List.of("read_api"), null, null, null,
                        i % 3 == 0 ? group.id() : sub.id(), null, null, null);
                case 2 -> new NewToken(TokenType.DEPLOY, marker + "-d" + i, null, List.of("read_repository"), null,
                        null, projects.get(i % 2).id(), null, null, null, null);
                default -> NewToken.personal(fixtures.human().id(), marker + "-u" + i, List.of("read_user"), null);
            };
            long id = tokens.issue(Actor.system(), request).token().id();
            dsl.insertInto(ACCESS_TOKEN_LAST_USED_IPS).set(ACCESS_TOKEN_LAST_USED_IPS.TOKEN_ID, id)
                    .set(ACCESS_TOKEN_LAST_USED_IPS.IP, "10.0.0." + i)
                    .set(ACCESS_TOKEN_LAST_USED_IPS.USED_AT, LocalDateTime.of(2026, 3, 10, 12, 0)).execute();
        }
        HttpGraphQlTester admin = GraphQlClients.as(port, fixtures.pat(fixtures.admin(), "read_api"));
        admin.document(PAGE).variable("search", marker).variable("first", 1).execute(); // warm-up

        int ten = statementsFor(admin, marker, 10);
        int hundred = statementsFor(admin, marker, 100);

        assertThat(hundred).as("statements for 100 tokens vs 10").isEqualTo(ten).isBetween(1, 19);
    }

    @Test
    void countRunsOnlyWhenSelected() {
        HttpGraphQlTester admin = GraphQlClients.as(port, fixtures.pat(fixtures.admin(), "read_api"));
        admin.document("{ currentUser { id } }").execute(); // the first request authenticates against the database
        int without = SqlRecorder.selectsDuring(dsl, () -> admin.document("{ accessTokens(first: 5) { nodes { name } } }").execute()
                .path("accessTokens.nodes").entityList(Object.class).hasSizeGreaterThan(0));
        int with = SqlRecorder.selectsDuring(dsl, () -> admin.document("{ accessTokens(first: 5) { count nodes { name } } }").execute()
                .path("accessTokens.count").entity(Integer.class).satisfies(c -> assertThat(c).isPositive()));
        assertThat(with).isEqualTo(without + 1);
    }

    private int statementsFor(HttpGraphQlTester tester, String marker, int size) {
        return SqlRecorder.selectsDuring(dsl, () -> tester.document(PAGE).variable("search", marker).variable("first", size).execute()
                .path("accessTokens.nodes").entityList(Object.class).hasSize(size)
                .path("accessTokens.nodes[*].owner.username").entityList(String.class).hasSize(size * 3 / 4)
                .path("accessTokens.nodes[*].lastUsedIps[0]").entityList(String.class).hasSize(size));
    }
}
