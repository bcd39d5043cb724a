package dev.patrol.owner;

import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.auth.Caller;

/** Serves {@code currentUser}. */
@Controller
class UserController {

    @QueryMapping
    User currentUser(@ContextValue Caller caller) {
        return caller.user();
    }
}
