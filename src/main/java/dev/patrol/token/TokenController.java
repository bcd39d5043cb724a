package dev.patrol.token;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.User;
import dev.patrol.shared.Caller;
import dev.patrol.shared.Connection;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.PageRequest;
import dev.patrol.shared.PatrolException;

/** Serves the token queries, the {@code AccessToken} type and the token lists of {@code User}, {@code Project} and {@code Group}. */
@Controller
class TokenController {

    /** User.personalAccessTokens: the user's own personal access tokens, impersonation tokens included. */
    private static final Set<TokenType> PERSONAL = TokenType.where(TokenType::usersPersonalAccessToken);
    /** Project.accessTokens and Group.accessTokens: the tokens of their bots, which carry a role. */
    private static final Set<TokenType> RESOURCE_TOKENS = TokenType.where(TokenType::hasRole);
    /** Project.deployTokens and Group.deployTokens: held by the project or group itself, with no user. */
    private static final Set<TokenType> DEPLOY = TokenType.where(t -> t.holder() == Holder.PROJECT_OR_GROUP);

    private final TokenService tokens;
    private final TokenSearch search;
    private final TokenRepository repository;
    private final OwnerRepository owners;
    private final TokenAccessPolicy policy;

    TokenController(TokenService tokens, TokenSearch search, TokenRepository repository, OwnerRepository owners,
            TokenAccessPolicy policy) {
        this.tokens = tokens;
        this.policy = policy;
        this.search = search;
        this.repository = repository;
        this.owners = owners;
    }

    // queries

    @QueryMapping
    AccessToken accessToken(@Argument String id, @ContextValue Caller caller) {
        GlobalId gid = GlobalId.parse(id);
        return repository.findById(gid.id())
                .filter(t -> t.type().modelName().equals(gid.type()))
                .filter(t -> policy.canManage(caller.actor(), t))
                .orElseThrow(() -> PatrolException.notFound("Token " + id + " does not exist or you cannot see it."));
    }

    @QueryMapping
    Connection<AccessToken> accessTokens(@Argument TokenFilter filter, @Argument TokenSort sort,
            @Argument Integer first, @Argument String after, @Argument Integer last, @Argument String before,
            @ContextValue Caller caller) {
        return search.search(caller.actor(), TokenListScope.all(), filter, sort,
                PageRequest.of(first, after, last, before));
    }

    @QueryMapping
    TokenLookup tokenLookup(@Argument String token, @ContextValue Caller caller) {
        caller.requireAdmin();
        boolean wellFormed = TokenSecrets.isWellFormed(token);
        return new TokenLookup(wellFormed, wellFormed ? tokens.findByValue(token).orElse(null) : null);
    }

    record TokenLookup(boolean wellFormed, AccessToken accessToken) {
    }

    // token lists of owners

    @SchemaMapping(typeName = "User")
    Connection<AccessToken> personalAccessTokens(User user, @Argument TokenFilter filter, @Argument TokenSort sort,
            @Argument Integer first, @Argument String after, @Argument Integer last, @Argument String before,
            @ContextValue Caller caller) {
        return search.search(caller.actor(), TokenListScope.ofUser(user.id(), PERSONAL), filter, sort,
                PageRequest.of(first, after, last, before));
    }

    @SchemaMapping(typeName = "Project", field = "accessTokens")
    Connection<AccessToken> projectAccessTokens(Project project, @Argument TokenFilter filter,
            @Argument TokenSort sort, @Argument Integer first, @Argument String after, @Argument Integer last,
            @Argument String before, @ContextValue Caller caller) {
        return search.search(caller.actor(), TokenListScope.ofProject(project.id(), RESOURCE_TOKENS), filter, sort,
                PageRequest.of(first, after, last, before));
    }

    @SchemaMapping(typeName = "Project", field = "deployTokens")
    Connection<AccessToken> projectDeployTokens(Project project, @Argument TokenFilter filter,
            @Argument TokenSort sort, @Argument Integer first, @Argument String after, @Argument Integer last,
            @Argument String before, @ContextValue Caller caller) {
        return search.search(caller.actor(), TokenListScope.ofProject(project.id(), DEPLOY), filter, sort,
                PageRequest.of(first, after, last, before));
    }

    @SchemaMapping(typeName = "Group", field = "accessTokens")
    Connection<AccessToken> groupAccessTokens(Group group, @Argument TokenFilter filter, @Argument TokenSort sort,
            @Argument Integer first, @Argument String after, @Argument Integer last, @Argument String before,
            @ContextValue Caller caller) {
        return search.search(caller.actor(), TokenListScope.ofGroup(group.id(), RESOURCE_TOKENS), filter, sort,
                PageRequest.of(first, after, last, before));
    }

    @SchemaMapping(typeName = "Group", field = "deployTokens")
    Connection<AccessToken> groupDeployTokens(Group group, @Argument TokenFilter filter, @Argument TokenSort sort,
            @Argument Integer first, @Argument String after, @Argument Integer last, @Argument String before,
            @ContextValue Caller caller) {
        return search.search(caller.actor(), TokenListScope.ofGroup(group.id(), DEPLOY), filter, sort,
                PageRequest.of(first, after, last, before));
    }

    @SchemaMapping(typeName = "AccessTokenConnection")
    long count(Connection<AccessToken> connection) {
        return connection.count().get();
    }

    // fields of AccessToken

    @SchemaMapping(typeName = "AccessToken")
    String id(AccessToken token) {
        return GlobalId.of(token.type().modelName(), token.id());
    }

    @SchemaMapping(typeName = "AccessToken")
    boolean active(AccessToken token) {
        return token.isActive(tokens.today());
    }

    @SchemaMapping(typeName = "AccessToken")
    boolean revoked(AccessToken token) {
        return token.isRevoked();
    }

    @SchemaMapping(typeName = "AccessToken")
    boolean expired(AccessToken token) {
        return token.isExpired(tokens.today());
    }

    @SchemaMapping(typeName = "AccessToken")
    AccessLevel accessLevel(AccessToken token) {
        return token.accessLevel() == null ? null : AccessLevel.of(token.accessLevel());
    }

    @SchemaMapping(typeName = "AccessToken")
    String previousTokenId(AccessToken token) {
        return token.previousTokenId() == null ? null
                : GlobalId.of(token.type().modelName(), token.previousTokenId());
    }

    /**
     * Scopes are written once, with the token: a token that carries them (just issued or rotated, or read with them)
     * answers from them; list pages, read without, load theirs in one statement.
     */
    @BatchMapping(typeName = "AccessToken")
    Map<AccessToken, List<String>> scopes(List<AccessToken> page) {
        List<AccessToken> without = page.stream().filter(t -> t.scopes().isEmpty()).toList();
        Map<Long, List<Scope>> loaded = without.isEmpty() ? Map.of() : repository.scopesOf(ids(without));
        return page.stream().distinct().collect(Collectors.toMap(Function.identity(),
                t -> (t.scopes().isEmpty() ? loaded.getOrDefault(t.id(), List.<Scope>of()) : t.scopes()).stream()
                        .map(Scope::id).toList()));
    }

    @BatchMapping(typeName = "AccessToken")
    Map<AccessToken, List<String>> lastUsedIps(List<AccessToken> page) {
        Map<Long, List<String>> ips = repository.lastUsedIps(ids(page));
        return page.stream().distinct().collect(Collectors.toMap(Function.identity(),
                t -> ips.getOrDefault(t.id(), List.of())));
    }

    @BatchMapping(typeName = "AccessToken")
    Map<AccessToken, User> owner(List<AccessToken> page) {
        return byKey(page, AccessToken::userId, owners::usersById);
    }

    @BatchMapping(typeName = "AccessToken")
    Map<AccessToken, User> createdBy(List<AccessToken> page) {
        return byKey(page, AccessToken::createdById, owners::usersById);
    }

    @BatchMapping(typeName = "AccessToken")
    Map<AccessToken, Project> project(List<AccessToken> page) {
        return byKey(page, AccessToken::projectId, owners::projectsById);
    }

    @BatchMapping(typeName = "AccessToken")
    Map<AccessToken, Group> group(List<AccessToken> page) {
        return byKey(page, AccessToken::groupId, owners::groupsById);
    }

    @BatchMapping(typeName = "AccessToken")
    Map<AccessToken, Resource> resource(List<AccessToken> page) {
        return byKey(page, AccessToken::resourceId, owners::resourcesById);
    }

    private static List<Long> ids(List<AccessToken> page) {
        return page.stream().map(AccessToken::id).distinct().toList();
    }

    /** One IN query for the page's distinct non-null keys; tokens without a key map to nothing (null). */
    private static <V> Map<AccessToken, V> byKey(List<AccessToken> page, Function<AccessToken, Long> key,
            Function<List<Long>, Map<Long, V>> load) {
        List<Long> keys = page.stream().map(key).filter(k -> k != null).distinct().toList();
        if (keys.isEmpty()) {
            return Map.of();
        }
        Map<Long, V> values = load.apply(keys);
        Map<AccessToken, V> result = new HashMap<>();
        for (AccessToken token : page) {
            V value = key.apply(token) == null ? null : values.get(key.apply(token));
            if (value != null) {
                result.put(token, value);
            }
        }
        return result;
    }
}
