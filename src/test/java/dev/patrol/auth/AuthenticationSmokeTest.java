package dev.patrol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.patrol.owner.User;
import dev.patrol.support.Fixtures;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.IssuedToken;

@PatrolTest
class AuthenticationSmokeTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;

    @Test
    void aValidTokenReachesTheApiAsItsUser() {
        User user = fixtures.human();
        IssuedToken token = fixtures.pat(user, "read_api");
        HttpGraphQlTester tester = HttpGraphQlTester.create(WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port + "/graphql")
                .defaultHeader("PRIVATE-TOKEN", token.secret()).build());

        tester.document("{ currentUser { username } }").execute()
                .path("currentUser.username").entity(String.class).isEqualTo(user.username());
    }

    @Test
    void missingAndMalformedTokensGet401WithoutEchoingTheToken() {
        RestTestClient client = RestTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        client.post().uri("/graphql").header("Content-Type", "application/json")
                .body("{\"query\":\"{ currentUser { id } }\"}")
                .exchange().expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED)
                .expectBody(String.class).value(body -> assertThat(body).contains("token_missing"));
        client.post().uri("/graphql").header("Content-Type", "application/json")
                .header("Authorization", "Bearer glpat-secretlooking")
                .body("{\"query\":\"{ currentUser { id } }\"}")
                .exchange().expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED)
                .expectBody(String.class).value(body -> assertThat(body).contains("token_malformed")
                        .doesNotContain("secretlooking"));
    }
}
