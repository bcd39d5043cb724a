package dev.patrol.bench.reference;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** Answers {@code { currentUser { id } }} with a constant user: what Patrol's HTTP and GraphQL stack costs alone. */
@SpringBootApplication
public class ReferenceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReferenceApplication.class, args);
    }

    record User(String id) {
    }

    @Controller
    static class CurrentUserController {

        private static final User ROOT = new User("gid://patrol/User/1");

        @QueryMapping
        User currentUser() {
            return ROOT;
        }
    }
}
