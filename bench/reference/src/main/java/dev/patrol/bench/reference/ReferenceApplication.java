package dev.patrol.bench.reference;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers {@code { currentUser { id } }} with a constant user, and {@code POST /oauth/introspect} with constant claims
 * of the same size as Patrol's: what Patrol's HTTP and GraphQL (or plain JSON) stack costs alone.
 */
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

    @RestController
    static class IntrospectionController {

        private static final Map<String, Object> ACTIVE = new LinkedHashMap<>();

        static {
            ACTIVE.put("active", true);
            ACTIVE.put("scope", "read_api");
            ACTIVE.put("token_type", "bearer");
            ACTIVE.put("patrol_token_type", "PERSONAL");
            ACTIVE.put("exp", 1830297600L);
            ACTIVE.put("iat", 1764460800L);
            ACTIVE.put("jti", "gid://patrol/PersonalAccessToken/12");
            ACTIVE.put("sub", "gid://patrol/User/3");
            ACTIVE.put("username", "alice");
            ACTIVE.put("holder", "gid://patrol/User/3");
        }

        @PostMapping("/oauth/introspect")
        Map<String, Object> introspect(@RequestParam String token) {
            return ACTIVE;
        }
    }
}
