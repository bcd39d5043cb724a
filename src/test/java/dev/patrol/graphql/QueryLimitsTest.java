package dev.patrol.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.jayway.jsonpath.JsonPath;

import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.PatrolTest;

@PatrolTest
class QueryLimitsTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;

    @Test
    void queryComplexityShowsTheCallersLimitAndThisRequestsScore() {
        HttpResponse<String> user = call(userToken(), "{ queryComplexity { limit score } }");
        assertThat((Integer) JsonPath.read(user.body(), "$.data.queryComplexity.limit")).isEqualTo(250);
        assertThat((Integer) JsonPath.read(user.body(), "$.data.queryComplexity.score")).isEqualTo(3);

        HttpResponse<String> admin = call(adminToken(), "{ queryComplexity { limit score } currentUser { id } }");
        assertThat((Integer) JsonPath.read(admin.body(), "$.data.queryComplexity.limit")).isEqualTo(300);
        assertThat((Integer) JsonPath.read(admin.body(), "$.data.queryComplexity.score")).isEqualTo(5);
    }

    /** The query of issue 11: 13 points, but a million tokens; it ran 30 s and ended in a bare 503. */
    @Test
    void nestedPagesAreRefusedByTheirEstimatedNodesNamingEstimateAndLimit() {
        String query = "{ accessTokens(first:100) { nodes { owner { personalAccessTokens(first:100) { nodes {"
                + " owner { personalAccessTokens(first:100) { nodes { id } } } } } } } } }";

        HttpResponse<String> response = call(adminToken(), query);

        assertRefused(response, "QUERY_TOO_COMPLEX");
        // each connection is its page plus itself: 101 + 100 owners + 100*101 + 10,000 owners + 10,000*101
        assertThat((String) JsonPath.read(response.body(), "$.errors[0].message"))
                .contains("1030301 nodes").contains("limit is 10000");
    }

    @Test
    void thirtyAliasesOfAScanAreRefused() {
        StringBuilder stats = new StringBuilder("{ ");
        StringBuilder counts = new StringBuilder("{ ");
        for (int i = 0; i < 30; i++) {
            stats.append("a").append(i).append(": inventoryStats { neverUsed } ");
            counts.append("a").append(i).append(": accessTokens(first: 1) { count } ");
        }

        assertRefused(call(adminToken(), stats.append("}").toString()), "QUERY_TOO_COMPLEX");
        assertRefused(call(adminToken(), counts.append("}").toString()), "QUERY_TOO_COMPLEX");
        assertThat(call(adminToken(), "{ a: inventoryStats { neverUsed } b: accessTokens(first: 1) { count } }")
                .body()).doesNotContain("errors");
    }

    /** Matching last-used addresses against a CIDR block reads every token's addresses: a scan, whatever the page. */
    @Test
    void aFilterThatCostsAScanIsWeighedEachTimeItRunsInlineOrThroughVariables() {
        String page = "credentialsInventory(first: 1, filter: {lastUsedIp: \"10.0.0.0/8\"}) { nodes { id } }";
        StringBuilder twenty = new StringBuilder("{ ");
        for (int i = 0; i < 20; i++) {
            twenty.append("a").append(i).append(": ").append(page).append(' ');
        }
        assertRefused(call(adminToken(), twenty.append("}").toString()), "QUERY_TOO_COMPLEX");

        String query = "query($f: InventoryFilter) { a: credentialsInventory(first: 1, filter: $f) { nodes { id } }"
                + " b: credentialsInventory(first: 1, filter: $f) { nodes { id } } queryComplexity { nodes } }";
        HttpResponse<String> plain = withVariables(adminToken(), query, "{\"f\": {\"search\": \"x\"}}");
        HttpResponse<String> cidr = withVariables(adminToken(), query, "{\"f\": {\"lastUsedIp\": \"10.0.0.0/8\"}}");
        // two connections of one node each, and the queryComplexity object; the address filter adds 500 to each
        assertThat((Integer) JsonPath.read(plain.body(), "$.data.queryComplexity.nodes")).isEqualTo(5);
        assertThat((Integer) JsonPath.read(cidr.body(), "$.data.queryComplexity.nodes")).isEqualTo(1005);
    }

    @Test
    void queryComplexityShowsTheEstimatedNodesAndTheirLimit() {
        HttpResponse<String> response = call(userToken(), "{ queryComplexity { nodes nodeLimit }"
                + " accessTokens(first: 50) { pageInfo { hasNextPage } nodes { id owner { id } } count } }");

        // the queryComplexity object, the connection and its 50 tokens, their 50 owners, the count (a scan: 500)
        assertThat((Integer) JsonPath.read(response.body(), "$.data.queryComplexity.nodes")).isEqualTo(602);
        assertThat((Integer) JsonPath.read(response.body(), "$.data.queryComplexity.nodeLimit")).isEqualTo(10_000);
    }

    @Test
    void theNodeEstimateFollowsPageSizesPassedAsVariablesOnEveryRepeat() {
        String token = adminToken();
        String query = "query($n: Int) { accessTokens(first: $n) { nodes { owner { personalAccessTokens(first: $n)"
                + " { nodes { id } } } } } }";

        assertThat(withVariables(token, query, "{\"n\": 10}").body()).doesNotContain("errors");
        assertRefused(withVariables(token, query, "{\"n\": 100}"), "QUERY_TOO_COMPLEX");
        assertThat(withVariables(token, query, "{\"n\": 10}").body()).doesNotContain("errors");
        assertThat(withVariables(token, query, "{}").body()).doesNotContain("errors");
    }

    @Test
    void aFullPageOfTheInventoryWithOwnersFits() {
        HttpResponse<String> response = call(adminToken(), "{ credentialsInventory(first: 100) { edges { cursor"
                + " node { id owner { username } } } pageInfo { endCursor } }"
                + " overPrivilegedTokens { credential { id } } }");
        assertThat(response.body()).doesNotContain("errors");
    }

    private HttpResponse<String> withVariables(String token, String query, String variables) {
        return new ApiHttp(port, "127.0.0.1").postJson("/graphql",
                "{\"query\":" + ApiHttp.jsonString(query) + ",\"variables\":" + variables + "}",
                "PRIVATE-TOKEN", token);
    }

    @Test
    void tooComplexQueriesAreRefusedBeforeTheyRun() {
        String query = "{ currentUser { " + "username ".repeat(260) + "} }";

        assertRefused(call(userToken(), query), "QUERY_TOO_COMPLEX");
        HttpResponse<String> admin = call(adminToken(), query);
        assertThat((Object) JsonPath.read(admin.body(), "$.data.currentUser.username")).isNotNull();
    }

    @Test
    void limitsHoldOnEveryRepeatOfAQueryAndFollowTheVariablesOfIncludeAndSkip() {
        String token = userToken();
        String tooComplex = "{ currentUser { " + "username ".repeat(260) + "} }";
        assertRefused(call(token, tooComplex), "QUERY_TOO_COMPLEX");
        assertRefused(call(token, tooComplex), "QUERY_TOO_COMPLEX");

        String query = "query($big: Boolean!) { currentUser { id ... @include(if: $big) { " + "username ".repeat(260)
                + "} } }";
        assertThat(withVariable(token, query, false).body()).doesNotContain("errors");
        assertRefused(withVariable(token, query, true), "QUERY_TOO_COMPLEX");
        assertThat(withVariable(token, query, false).body()).doesNotContain("errors");
    }

    private HttpResponse<String> withVariable(String token, String query, boolean big) {
        return new ApiHttp(port, "127.0.0.1").postJson("/graphql",
                "{\"query\":\"" + query + "\",\"variables\":{\"big\":" + big + "}}", "PRIVATE-TOKEN", token);
    }

    @Test
    void tooDeepQueriesAreRefused() {
        String deep = "{ __schema { types { fields { type " + "{ ofType ".repeat(17) + "{ name }" + " }".repeat(17)
                + " } } } }";
        assertRefused(call(userToken(), deep), "QUERY_TOO_DEEP");

        String fits = "{ __schema { types { fields { type " + "{ ofType ".repeat(14) + "{ name }" + " }".repeat(14)
                + " } } } }";
        assertThat(call(userToken(), fits).body()).doesNotContain("errors");
    }

    @Test
    void depthThirtyDocumentsFromTheSchemasCyclesAreRefused() {
        String tokenOwnerCycle = "{ accessTokens(first: 1) { nodes { "
                + "owner { personalAccessTokens(first: 1) { nodes { ".repeat(9) + "id" + " } } }".repeat(9) + " } } }";
        String groupParentCycle = "{ group(fullPath: \"g\") { " + "parent { ".repeat(28) + "id" + " }".repeat(28)
                + " } }";
        assertRefused(call(adminToken(), tokenOwnerCycle), "QUERY_TOO_DEEP");
        assertRefused(call(adminToken(), groupParentCycle), "QUERY_TOO_DEEP");
    }

    @Test
    void tooLongQueriesAreRefused() {
        String query = "{ currentUser { id } }" + " ".repeat(10_000);
        assertRefused(call(userToken(), query), "QUERY_TOO_LARGE");
    }

    @Test
    void tooManyAliasesAreRefused() {
        StringBuilder query = new StringBuilder("{ currentUser { ");
        for (int i = 0; i < 31; i++) {
            query.append("a").append(i).append(": id ");
        }
        assertRefused(call(userToken(), query.append("} }").toString()), "TOO_MANY_ALIASES");
    }

    @Test
    void oneOperationPerRequest() {
        HttpResponse<String> response = new ApiHttp(port, "127.0.0.1").postJson("/graphql",
                "{\"query\":\"query A { currentUser { id } } query B { currentUser { id } }\",\"operationName\":\"A\"}",
                "PRIVATE-TOKEN", userToken());
        assertRefused(response, "TOO_MANY_OPERATIONS");
    }

    private void assertRefused(HttpResponse<String> response, String code) {
        assertThat((String) JsonPath.read(response.body(), "$.errors[0].extensions.code")).isEqualTo(code);
        assertThat(response.body()).doesNotContain("\"data\"");
    }

    private HttpResponse<String> call(String token, String query) {
        return new ApiHttp(port, "127.0.0.1").graphql(query, "PRIVATE-TOKEN", token);
    }

    private String userToken() {
        return fixtures.pat(fixtures.human(), "read_api").secret();
    }

    private String adminToken() {
        return fixtures.pat(fixtures.admin(), "read_api").secret();
    }
}
