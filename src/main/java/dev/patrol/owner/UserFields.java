package dev.patrol.owner;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.shared.Caller;
import dev.patrol.shared.Connection;
import dev.patrol.shared.GlobalId;

/** Fields of the {@code User} and {@code SshKey} types that are not plain record components. */
@Controller
class UserFields {

    private final SshKeyService sshKeys;

    UserFields(SshKeyService sshKeys) {
        this.sshKeys = sshKeys;
    }

    @SchemaMapping(typeName = "User")
    String id(User user) {
        return GlobalId.of("User", user.id());
    }

    @SchemaMapping(typeName = "User")
    String email(User user, @ContextValue Caller caller) {
        return seesPrivateFields(caller, user) ? user.email() : null;
    }

    @BatchMapping(typeName = "User")
    Map<User, List<SshKey>> sshKeys(List<User> users, @ContextValue Caller caller) {
        List<User> visible = users.stream().filter(u -> seesPrivateFields(caller, u)).distinct().toList();
        Map<Long, List<SshKey>> keys = sshKeys.keysOf(visible.stream().map(User::id).toList());
        return users.stream().distinct().collect(Collectors.toMap(Function.identity(),
                u -> keys.getOrDefault(u.id(), List.of())));
    }

    @SchemaMapping(typeName = "UserConnection")
    long count(Connection<User> connection) {
        return connection.count().get();
    }

    @SchemaMapping(typeName = "SshKey")
    String id(SshKey key) {
        return GlobalId.of("SshKey", key.id());
    }

    private static boolean seesPrivateFields(Caller caller, User user) {
        return caller.isAdmin() || caller.actor().isUser(user.id());
    }
}
