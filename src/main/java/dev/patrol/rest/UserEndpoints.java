package dev.patrol.rest;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.patrol.owner.User;
import dev.patrol.owner.UserState;
import dev.patrol.shared.Caller;

/** {@code GET /user} (the caller, or the {@code Sudo} user) and {@code GET /users/:id}; and GitLab's 404 for any other path. */
@RestController
@RequestMapping(RestApi.PREFIX)
class UserEndpoints {

    private final Holders holders;

    UserEndpoints(Holders holders) {
        this.holders = holders;
    }

    @GetMapping("/user")
    UserJson currentUser(@RequestAttribute(Caller.USER_KEY) User user, @RequestAttribute(Caller.KEY) Caller caller) {
        return json(user, caller);
    }

    @GetMapping("/users/{id}")
    UserJson user(@PathVariable String id, @RequestAttribute(Caller.KEY) Caller caller) {
        return json(holders.user(id), caller);
    }

    /** Paths of GitLab's API that Patrol does not serve, answered as GitLab answers an unknown route. */
    @RequestMapping("/**")
    ResponseEntity<Map<String, String>> unknown() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message", "404 Not Found"));
    }

    private static UserJson json(User user, Caller caller) {
        boolean self = caller.actor().isUser(user.id());
        return new UserJson(user.id(), user.username(), user.name(), user.state() == UserState.BLOCKED ? "blocked"
                : "active", false, null, ServletUriComponentsBuilder.fromCurrentContextPath().path("/{username}")
                        .buildAndExpand(user.username()).toUriString(),
                TokenViews.time(user.createdAt()), user.kind().isBot(),
                self || caller.isAdmin() ? user.email() : null, caller.isAdmin() ? user.admin() : null);
    }
}
