package dev.patrol.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import dev.patrol.owner.User;
import dev.patrol.support.Fixtures;
import dev.patrol.support.GraphQlClients;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.SqlRecorder;
import dev.patrol.support.SqlRecorder.RoundTrips;

/**
 * The SQL of the benchmark's mutations (bench/README.md, scenario 5), counted per request: what was just written
 * is answered from what was written, not read back, and a transaction costs no more commands than it needs. The
 * counts must not grow.
 */
@PatrolTest
class TokenMutationStatementsTest {

    // language=GraphQL
    private static final String CREATE = """
            mutation($name: String!) {
              personalAccessTokenCreate(input: {name: $name, scopes: ["api", "read_user"], expiresAt: "2027-01-01"}) {
                token errors accessToken { id name type scopes expiresAt createdAt revoked active }
              }
            }""";
    // language=GraphQL
    private static final String REVOKE = """
            mutation($id: ID!) { accessTokenRevoke(input: {id: $id}) { errors accessToken { id revoked revokeReason active } } }""";
    // language=GraphQL
    private static final String ROTATE = """
            mutation($id: ID!) {
              accessTokenRotate(input: {id: $id, expiresAt: "2027-01-01"}) {
                token errors accessToken { id name expiresAt previousTokenId scopes createdAt active }
              }
            }""";
    // language=GraphQL
    private static final String EXTEND = """
            mutation($id: ID!) {
              accessTokenExtend(input: {id: $id, expiresAt: "2027-02-01"}) { errors accessToken { id expiresAt scopes } }
            }""";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired DSLContext dsl;

    @Test
    void createRevokeAndRotateCostTheirWritesAndOneRead() {
        User user = fixtures.human();
        HttpGraphQlTester client = GraphQlClients.as(port, fixtures.pat(user, "api"));
        client.document("{ currentUser { id } }").execute(); // authenticates once: the cache answers from here on

        String name = Fixtures.unique("bench");
        Map<String, Object>[] created = new Map[1];
        RoundTrips create = roundTrips(() -> created[0] = client.document(CREATE)
                .variable("name", name).execute()
                .path("personalAccessTokenCreate.accessToken").entity(Map.class).get());
        String id = (String) created[0].get("id");
        RoundTrips rotate = roundTrips(() -> client.document(ROTATE).variable("id", id).execute()
                .path("accessTokenRotate.errors").entityList(String.class).hasSize(0)
                .path("accessTokenRotate.accessToken.previousTokenId").entity(String.class).isEqualTo(id));
        String other = (String) client.document(CREATE).variable("name", Fixtures.unique("bench")).execute()
                .path("personalAccessTokenCreate.accessToken.id").entity(String.class).get();
        RoundTrips extend = roundTrips(() -> client.document(EXTEND).variable("id", other).execute()
                .path("accessTokenExtend.errors").entityList(String.class).hasSize(0)
                .path("accessTokenExtend.accessToken.expiresAt").entity(String.class).isEqualTo("2027-02-01")
                .path("accessTokenExtend.accessToken.scopes").entityList(String.class).hasSize(2));
        RoundTrips revoke = roundTrips(() -> client.document(REVOKE).variable("id", other).execute()
                .path("accessTokenRevoke.accessToken.revoked").entity(Boolean.class).isEqualTo(true));

        // create: the token, its scopes, the audit event (the settings and the user come from caches or one read)
        assertThat(create.statements()).as(create.toString()).hasSizeLessThanOrEqualTo(EXPECTED_CREATE);
        // revoke: read the token with its scopes, revoke it, the change-log row, the audit event
        assertThat(revoke.statements()).as(revoke.toString()).hasSizeLessThanOrEqualTo(EXPECTED_REVOKE);
        // rotate: read the token with its scopes and the settings, revoke it, insert the successor and its scopes,
        // the change-log row, the audit event
        assertThat(rotate.statements()).as(rotate.toString()).hasSizeLessThanOrEqualTo(EXPECTED_ROTATE);
        // extend: read the token with its scopes and the settings, change it, the audit event (no read back)
        assertThat(extend.statements()).as(extend.toString()).hasSizeLessThanOrEqualTo(EXPECTED_EXTEND);
        // each is one transaction on one connection: two commands around its statements (auto-commit off, and on
        // again, which commits), and one liveness check when the pool hands the connection out
        for (RoundTrips mutation : List.of(create, revoke, rotate, extend)) {
            assertThat(mutation.transactionCommands()).as(mutation.toString())
                    .hasSizeLessThanOrEqualTo(EXPECTED_TRANSACTION_COMMANDS);
            assertThat(mutation.pings()).as(mutation.toString()).isEqualTo(1);
        }
        assertThat(created[0]).containsEntry("active", true).containsEntry("revoked", false)
                .containsEntry("scopes", List.of("api", "read_user"));
        // what the mutation answered without reading back is what a later read finds
        Map<?, ?> readBack = client.document("""
                query($name: String) { accessTokens(filter: {search: $name}, first: 10) { nodes { id createdAt scopes } } }""")
                .variable("name", name).execute().path("accessTokens.nodes").entityList(Map.class).get().stream()
                .filter(node -> id.equals(node.get("id"))).findFirst().orElseThrow();
        assertThat(readBack.get("createdAt")).isEqualTo(created[0].get("createdAt"));
        assertThat(readBack.get("scopes")).isEqualTo(created[0].get("scopes"));
    }

    // before issue 17's second round: 8, 7 and 11 (each token read back after writing it, its scopes twice); rotate
    // and extend then 7 and 5 (the settings read on their own, extend's token read back)
    static final int EXPECTED_CREATE = 5;
    static final int EXPECTED_REVOKE = 4;
    static final int EXPECTED_ROTATE = 6;
    static final int EXPECTED_EXTEND = 3;
    // before: 3 (SET autocommit=0, COMMIT, SET autocommit=1)
    static final int EXPECTED_TRANSACTION_COMMANDS = 2;

    /** The statements and commands of this request alone: background jobs (usage flushes) run on threads of their own. */
    private RoundTrips roundTrips(Runnable request) {
        return SqlRecorder.requestDuring(dsl, request);
    }
}
