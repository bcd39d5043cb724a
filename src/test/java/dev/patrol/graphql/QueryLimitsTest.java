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
