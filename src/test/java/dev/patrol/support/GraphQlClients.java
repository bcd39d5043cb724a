package dev.patrol.support;

import java.time.Duration;

import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.patrol.token.IssuedToken;

/** One HttpGraphQlTester per role: each sends its own token to the running server, as a front end would. */
public final class GraphQlClients {

    private GraphQlClients() {
    }

    public static HttpGraphQlTester as(int port, IssuedToken token) {
        return HttpGraphQlTester.create(WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port + "/graphql")
                .responseTimeout(Duration.ofSeconds(30))
                .defaultHeader("PRIVATE-TOKEN", token.secret()).build());
    }
}
