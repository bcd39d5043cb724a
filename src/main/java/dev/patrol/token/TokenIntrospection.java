package dev.patrol.token;

import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.patrol.owner.OwnerService;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.PatrolException;

/**
 * The rules of the doors other services knock on, applied to a token already checked ({@link Authentication}, from
 * the authentication cache or {@link TokenService#authenticate}): whether a token is active for a resource server
 * and what it may learn about it (RFC 7662), who may ask, and which tokens authenticate an OAuth client or a runner.
 * Nothing here reads the database, so a cached authentication answers without SQL.
 */
@Component
public class TokenIntrospection {

    /** The {@code token_type_hint} under which a registry or Git server passes a deploy token with its username. */
    public static final String DEPLOY_TOKEN_HINT = "deploy_token";

    /**
     * Whether the token is active and, if so, its claims: GitLab-flavoured RFC 7662 members ({@code scope},
     * {@code exp}, {@code iat}, {@code sub}, ...), the type, the holder, the role of a project or group token and the
     * job and project of a CI job token. A deploy token passed as {@value #DEPLOY_TOKEN_HINT} is active only with its
     * own {@code username}; a username given with a deploy token under any hint must match too. Other hints are
     * only hints (RFC 7662 section 2.1): every type is looked up alike.
     */
    public Introspection introspect(Authentication auth, String typeHint, String username) {
        AccessToken token = auth.token();
        if (!auth.succeeded()) {
            return Introspection.inactive(token, reasonFor(auth));
        }
        if (token.type().hasUsername()) {
            boolean required = DEPLOY_TOKEN_HINT.equals(typeHint);
            if (username == null && required) {
                return Introspection.inactive(token, "deploy_username_missing");
            }
            if (username != null && !username.equals(token.username())) {
                return Introspection.inactive(token, "deploy_username_mismatch");
            }
        }
        return new Introspection(token, null, claims(token, auth.user()));
    }

    /**
     * The scope that lets a caller's token introspect others, if any: {@code api} on an administrator's API token,
     * or {@code introspect} on a personal access token of an administrator or a service account.
     */
    public Optional<Scope> introspectionGrant(Authentication caller) {
        if (!caller.succeeded() || caller.user() == null) {
            return Optional.empty();
        }
        AccessToken token = caller.token();
        User user = caller.user();
        if (token.type() == TokenType.PERSONAL && token.hasScope(Scope.INTROSPECT)
                && (user.admin() || user.kind() == UserKind.SERVICE_ACCOUNT)) {
            return Optional.of(Scope.INTROSPECT);
        }
        if (token.type().apiAccess() && token.hasScope(Scope.API) && user.admin()) {
            return Optional.of(Scope.API);
        }
        return Optional.empty();
    }

    /**
     * Why OAuth client credentials (RFC 6749 section 2.3.1) do not authenticate an application, or null when they do:
     * the secret must be the active secret of the OAuth application whose ID is {@code clientId} ({@code 7} or
     * {@code gid://patrol/OauthApplication/7}).
     */
    public String clientCredentialsRefusal(Authentication secret, String clientId) {
        if (!secret.succeeded()) {
            return reasonFor(secret);
        }
        AccessToken token = secret.token();
        if (token.type() != TokenType.OAUTH_APPLICATION_SECRET) {
            return "not_a_client_secret";
        }
        Long applicationId = clientIdNumber(clientId);
        return applicationId != null && applicationId.equals(token.resourceId()) ? null : "client_id_mismatch";
    }

    /** Why a token does not authenticate a runner ({@code POST /api/v4/runners/verify}), or null when it does. */
    public String runnerRefusal(Authentication auth) {
        if (!auth.succeeded()) {
            return reasonFor(auth);
        }
        return auth.token().type() == TokenType.RUNNER_AUTHENTICATION ? null : "not_a_runner_token";
    }

    /** The log reason of a refused token; a CI job token stops when its job finishes, which revokes it. */
    private static String reasonFor(Authentication auth) {
        AccessToken token = auth.token();
        if (auth.failure() == AuthFailure.REVOKED && token.type().validOnlyWhileResourceRuns()
                && TokenService.JOB_FINISHED.equals(token.revokeReason())) {
            return "ci_job_finished";
        }
        return auth.failure().reason();
    }

    private static Long clientIdNumber(String clientId) {
        if (clientId == null) {
            return null;
        }
        try {
            return clientId.startsWith("gid://")
                    ? GlobalId.parse(clientId, OwnerService.modelName(TokenType.OAUTH_APPLICATION_SECRET.resourceKind()))
                    : Long.parseLong(clientId);
        } catch (PatrolException | NumberFormatException notAnId) {
            return null;
        }
    }

    private static Map<String, Object> claims(AccessToken token, User user) {
        TokenType type = token.type();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("active", true);
        if (!token.scopes().isEmpty()) {
            claims.put("scope", token.scopes().stream().map(Scope::id).collect(Collectors.joining(" ")));
        }
        claims.put("token_type", "bearer");
        claims.put("patrol_token_type", type.name());
        if (token.expiresAt() != null) {
            claims.put("exp", token.expiresAt().atStartOfDay().toEpochSecond(ZoneOffset.UTC));
        }
        claims.put("iat", token.createdAt().toEpochSecond(ZoneOffset.UTC));
        claims.put("jti", GlobalId.of(type.modelName(), token.id()));
        String holder = holderId(token);
        String userId = token.userId() == null ? null : GlobalId.of("User", token.userId());
        boolean heldByUser = type.holder() == Holder.USER || type.hasRole();
        claims.put("sub", heldByUser ? userId : holder);
        if (user != null) {
            claims.put("username", user.username());
        } else if (token.username() != null) {
            claims.put("username", token.username());
        }
        claims.put("holder", holder);
        if (userId != null && !heldByUser) {
            claims.put("user", userId);
        }
        if (token.projectId() != null) {
            claims.put("project", GlobalId.of("Project", token.projectId()));
        }
        if (token.groupId() != null) {
            claims.put("group", GlobalId.of("Group", token.groupId()));
        }
        if (type.hasRole()) {
            claims.put("access_level", token.accessLevel());
        }
        if (type.validOnlyWhileResourceRuns()) {
            claims.put("job", holder);
        }
        return claims;
    }

    /** The global ID of what holds the token: its user, project, group or resource (runner, agent, job, ...). */
    private static String holderId(AccessToken token) {
        return switch (token.type().holder()) {
            case USER -> GlobalId.of("User", token.userId());
            case PROJECT_BOT, PROJECT -> GlobalId.of("Project", token.projectId());
            case GROUP_BOT, TOP_LEVEL_GROUP -> GlobalId.of("Group", token.groupId());
            case PROJECT_OR_GROUP -> token.projectId() != null ? GlobalId.of("Project", token.projectId())
                    : GlobalId.of("Group", token.groupId());
            case RESOURCE -> GlobalId.of(OwnerService.modelName(token.type().resourceKind()), token.resourceId());
        };
    }
}
