package dev.patrol.owner;

import java.time.LocalDate;
import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.shared.Caller;
import dev.patrol.shared.Connection;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.PageRequest;
import dev.patrol.shared.Payloads;
import dev.patrol.shared.Payloads.Outcome;

/** Serves the user queries and mutations: users, service accounts, blocking and SSH keys. */
@Controller
class UserController {

    private final OwnerService owners;
    private final UserSearch search;
    private final SshKeyService sshKeys;

    UserController(OwnerService owners, UserSearch search, SshKeyService sshKeys) {
        this.owners = owners;
        this.search = search;
        this.sshKeys = sshKeys;
    }

    record UserPayload(User user, List<String> errors) {

        static UserPayload of(Outcome<User> outcome) {
            return new UserPayload(outcome.value(), outcome.errors());
        }
    }

    record SshKeyPayload(SshKey sshKey, List<String> errors) {
    }

    record UserCreateInput(String username, String name, String email, Boolean admin) {
    }

    record ServiceAccountCreateInput(String username, String name, String groupId) {
    }

    record UserIdInput(String id) {
    }

    record SshKeyAddInput(String userId, String title, String key, LocalDate expiresAt) {
    }

    @QueryMapping
    User currentUser(@ContextValue(Caller.USER_KEY) User user) {
        return user;
    }

    @QueryMapping
    User user(@Argument String username) {
        return owners.userByUsername(username);
    }

    @QueryMapping
    Connection<User> users(@Argument String search, @Argument UserKind kind, @Argument UserState state,
            @Argument Integer first, @Argument String after, @Argument Integer last, @Argument String before,
            @ContextValue Caller caller) {
        return this.search.search(caller.actor(), search, kind, state, PageRequest.of(first, after, last, before));
    }

    @MutationMapping
    UserPayload userCreate(@Argument UserCreateInput input, @ContextValue Caller caller) {
        return UserPayload.of(Payloads.attempt(() -> owners.createUser(caller.actor(), new NewUser(input.username(),
                input.name(), input.email(), UserKind.HUMAN, Boolean.TRUE.equals(input.admin()), null))));
    }

    @MutationMapping
    UserPayload serviceAccountCreate(@Argument ServiceAccountCreateInput input, @ContextValue Caller caller) {
        Long groupId = input.groupId() == null ? null : GlobalId.parse(input.groupId(), "Group");
        return UserPayload.of(Payloads.attempt(() -> owners.createUser(caller.actor(), new NewUser(input.username(),
                input.name(), null, UserKind.SERVICE_ACCOUNT, false, groupId))));
    }

    @MutationMapping
    UserPayload userBlock(@Argument UserIdInput input, @ContextValue Caller caller) {
        long id = GlobalId.parse(input.id(), "User");
        return UserPayload.of(Payloads.attempt(() -> owners.block(caller.actor(), id)));
    }

    @MutationMapping
    UserPayload userUnblock(@Argument UserIdInput input, @ContextValue Caller caller) {
        long id = GlobalId.parse(input.id(), "User");
        return UserPayload.of(Payloads.attempt(() -> owners.unblock(caller.actor(), id)));
    }

    @MutationMapping
    SshKeyPayload sshKeyAdd(@Argument SshKeyAddInput input, @ContextValue Caller caller) {
        long userId = input.userId() == null ? caller.actor().userId() : GlobalId.parse(input.userId(), "User");
        Outcome<SshKey> outcome = Payloads.attempt(() -> sshKeys.add(caller.actor(), userId, input.title(),
                input.key(), input.expiresAt()));
        return new SshKeyPayload(outcome.value(), outcome.errors());
    }

    @MutationMapping
    SshKeyPayload sshKeyDelete(@Argument UserIdInput input, @ContextValue Caller caller) {
        long id = GlobalId.parse(input.id(), "SshKey");
        Outcome<SshKey> outcome = Payloads.attempt(() -> sshKeys.delete(caller.actor(), id));
        return new SshKeyPayload(outcome.value(), outcome.errors());
    }
}
