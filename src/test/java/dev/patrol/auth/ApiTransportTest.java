package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.jayway.jsonpath.JsonPath;

import dev.patrol.owner.User;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.PatrolTest;

@PatrolTest
class ApiTransportTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;

    ApiHttp http;
    User user;
    String token;

    @BeforeEach
    void setUp() {
        http = new ApiHttp(port, "127.0.0.1");
        user = fixtures.human();
        token = fixtures.pat(user, "api").secret();
    }

    @Test
    void postAnswersInTheGraphQlResponseMediaTypeWhenAsked() {
        HttpResponse<String> response = http.graphql("{ currentUser { username } }", "PRIVATE-TOKEN", token,
                "Accept", "application/graphql-response+json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/graphql-response+json"));
        assertThat((String) JsonPath.read(response.body(), "$.data.currentUser.username")).isEqualTo(user.username());
    }

    @Test
    void aDocumentThatDoesNotParseIs400InTheGraphQlResponseMediaType() {
        HttpResponse<String> response = http.graphql("{ currentUser { ", "PRIVATE-TOKEN", token,
                "Accept", "application/graphql-response+json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("errors").doesNotContain("\"data\"");
    }

    @Test
    void getRunsQueries() {
        HttpResponse<String> response = http.getQuery("{ currentUser { username } }", "PRIVATE-TOKEN", token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(response.body(), "$.data.currentUser.username")).isEqualTo(user.username());
    }

    @Test
    void getRefusesMutationsWith405() {
        HttpResponse<String> response = http.getQuery("mutation { noop }", "PRIVATE-TOKEN", token);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat((String) JsonPath.read(response.body(), "$.error")).isEqualTo("mutation_over_get");
    }

    @Test
    void getWithVariablesThatAreNotJsonIs400() {
        HttpResponse<String> response = http.get("/graphql?query=%7B%20currentUser%20%7B%20id%20%7D%20%7D"
                + "&variables=nope",
                "PRIVATE-TOKEN", token);

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void graphiqlIsReachableWithoutAToken() {
        HttpResponse<String> response = http.get("/graphiql");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsIgnoringCase("graphiql");
    }

    @Test
    void corsPreflightFromAConfiguredOriginIsAllowedWithoutAToken() {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(http.uri("/graphql"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                "Origin", "https://app.example.test", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "private-token,content-type");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.test");
    }

    @Test
    void corsRefusesOtherOrigins() {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(http.uri("/graphql"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                "Origin", "https://evil.example.test", "Access-Control-Request-Method", "POST");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void refusalsCarryCorsHeadersSoBrowsersCanReadThem() {
        HttpResponse<String> response = http.graphql("{ currentUser { id } }", "Origin", "https://app.example.test");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.test");
    }
}
