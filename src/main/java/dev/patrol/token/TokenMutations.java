package dev.patrol.token;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.owner.AccessLevel;
import dev.patrol.shared.Caller;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.PatrolException;
import dev.patrol.shared.Payloads;
import dev.patrol.shared.Payloads.Outcome;

/** Serves the token mutations: create (per type and generic), revoke, rotate, reset and extend. */
@Controller
class TokenMutations {

    private static final String[] TOKEN_MODELS = Arrays.stream(TokenType.values()).map(TokenType::modelName)
            .distinct().toArray(String[]::new);
    private static final String[] RESOURCE_MODELS = {"Runner", "ClusterAgent", "OauthApplication", "CiJob", "Workspace"};

    private final TokenService tokens;

    TokenMutations(TokenService tokens) {
        this.tokens = tokens;
    }

    record CreatePayload(String token, AccessToken accessToken, List<String> errors) {

        static CreatePayload of(Outcome<IssuedToken> outcome) {
            IssuedToken issued = outcome.value();
            return issued == null ? new CreatePayload(null, null, outcome.errors())
                    : new CreatePayload(issued.secret(), issued.token(), List.of());
        }
    }

    record TokenPayload(AccessToken accessToken, List<String> errors) {
    }

    record PersonalInput(String userId, String name, String description, List<String> scopes, LocalDate expiresAt) {
    }

    record ProjectInput(String projectId, String name, String description, List<String> scopes, LocalDate expiresAt,
            AccessLevel accessLevel) {
    }

    record GroupInput(String groupId, String name, String description, List<String> scopes, LocalDate expiresAt,
            AccessLevel accessLevel) {
    }

    record DeployInput(String projectId, String groupId, String name, List<String> scopes, LocalDate expiresAt,
            String username) {
    }

    record CreateInput(TokenType type, String name, String description, List<String> scopes, LocalDate expiresAt,
            String userId, String projectId, String groupId, String resourceId, AccessLevel accessLevel) {
    }

    record IdInput(String id, LocalDate expiresAt) {
    }

    @MutationMapping
    CreatePayload personalAccessTokenCreate(@Argument PersonalInput input, @ContextValue Caller caller) {
        return userToken(TokenType.PERSONAL, input, caller);
    }

    @MutationMapping
    CreatePayload impersonationTokenCreate(@Argument PersonalInput input, @ContextValue Caller caller) {
        return userToken(TokenType.IMPERSONATION, input, caller);
    }

    private CreatePayload userToken(TokenType type, PersonalInput in, Caller caller) {
        Long userId = in.userId() == null ? null : GlobalId.parse(in.userId(), "User");
        return issue(caller, new NewToken(type, in.name(), in.description(), in.scopes(), in.expiresAt(), userId,
                null, null, null, null, null));
    }

    @MutationMapping
    CreatePayload projectAccessTokenCreate(@Argument ProjectInput input, @ContextValue Caller caller) {
        return issue(caller, new NewToken(TokenType.PROJECT, input.name(), input.description(), input.scopes(),
                input.expiresAt(), null, GlobalId.parse(input.projectId(), "Project"), null, null,
                level(input.accessLevel()), null));
    }

    @MutationMapping
    CreatePayload groupAccessTokenCreate(@Argument GroupInput input, @ContextValue Caller caller) {
        return issue(caller, new NewToken(TokenType.GROUP, input.name(), input.description(), input.scopes(),
                input.expiresAt(), null, null, GlobalId.parse(input.groupId(), "Group"), null,
                level(input.accessLevel()), null));
    }

    @MutationMapping
    CreatePayload deployTokenCreate(@Argument DeployInput input, @ContextValue Caller caller) {
        return issue(caller, new NewToken(TokenType.DEPLOY, input.name(), null, input.scopes(), input.expiresAt(),
                null, optionalId(input.projectId(), "Project"), optionalId(input.groupId(), "Group"), null, null,
                input.username()));
    }

    @MutationMapping
    CreatePayload accessTokenCreate(@Argument CreateInput input, @ContextValue Caller caller) {
        return issue(caller, new NewToken(input.type(), input.name(), input.description(), input.scopes(),
                input.expiresAt(), optionalId(input.userId(), "User"), optionalId(input.projectId(), "Project"),
                optionalId(input.groupId(), "Group"), optionalId(input.resourceId(), RESOURCE_MODELS),
                level(input.accessLevel()), null));
    }

    private CreatePayload issue(Caller caller, NewToken request) {
        return CreatePayload.of(Payloads.attempt(() -> tokens.issue(caller.actor(), request)));
    }

    @MutationMapping
    TokenPayload accessTokenRevoke(@Argument IdInput input, @ContextValue Caller caller) {
        long id = tokenId(input.id());
        Outcome<RevokeResult> outcome = Payloads.attempt(() -> caller.isOwnToken(id)
                ? tokens.revokeSelf(caller.actor(), id)
                : tokens.revoke(caller.actor(), id));
        RevokeResult result = outcome.value();
        if (result == null) {
            return new TokenPayload(null, outcome.errors());
        }
        return new TokenPayload(result.token(), result.changed() ? List.of() : List.of(result.message()));
    }

    /** A token with self_rotate may rotate itself even without the right to manage it otherwise. */
    @MutationMapping
    CreatePayload accessTokenRotate(@Argument IdInput input, @ContextValue Caller caller) {
        long id = tokenId(input.id());
        boolean self = caller.isOwnToken(id) && caller.hasScope(Scope.SELF_ROTATE.id());
        if (!self && !caller.hasScope(Scope.API.id())) {
            throw PatrolException.forbidden("A token without the api scope can rotate only itself (self_rotate).");
        }
        return CreatePayload.of(Payloads.attempt(() -> self
                ? tokens.rotateSelf(caller.actor(), id, input.expiresAt())
                : tokens.rotate(caller.actor(), id, input.expiresAt())));
    }

    @MutationMapping
    CreatePayload accessTokenReset(@Argument IdInput input, @ContextValue Caller caller) {
        long id = tokenId(input.id());
        return CreatePayload.of(Payloads.attempt(() -> {
            AccessToken token = tokens.token(id);
            if (token.type().renewal() != Renewal.RESET) {
                throw PatrolException.badInput("A " + token.type().label() + " is not reset"
                        + (token.type().renewal() == Renewal.ROTATE ? "; rotate it instead." : "; revoke it and create a new one."));
            }
            return tokens.rotate(caller.actor(), id, null);
        }));
    }

    @MutationMapping
    TokenPayload accessTokenExtend(@Argument IdInput input, @ContextValue Caller caller) {
        long id = tokenId(input.id());
        Outcome<AccessToken> outcome = Payloads.attempt(() -> tokens.extendExpiry(caller.actor(), id,
                input.expiresAt()));
        return new TokenPayload(outcome.value(), outcome.errors());
    }

    /** Token global IDs carry the type's model name; any of them is accepted, the id decides. */
    private static long tokenId(String id) {
        return GlobalId.parse(id, TOKEN_MODELS);
    }

    private static Long optionalId(String id, String... types) {
        return id == null ? null : GlobalId.parse(id, types);
    }

    private static Integer level(AccessLevel level) {
        return level == null ? null : level.value();
    }
}
