package dev.patrol.owner;

import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.graphql.GlobalId;

/** Fields of the {@code User} type that are not plain record components. */
@Controller
class UserFields {

    @SchemaMapping(typeName = "User")
    String id(User user) {
        return GlobalId.of("User", user.id());
    }
}
