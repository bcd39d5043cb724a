package dev.patrol.rest;

import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.patrol.shared.Caller;
import dev.patrol.token.AccessToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenAccessPolicy;
import dev.patrol.token.TokenListScope;
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * GitLab's deploy token endpoints: {@code /deploy_tokens} (administrators, every deploy token) and
 * {@code /projects/:id/deploy_tokens}, {@code /groups/:id/deploy_tokens}: list ({@code active}), show, create
 * ({@code username} optional, default {@code gitlab+deploy-token-<id>}) and delete, which revokes (the audit trail
 * keeps the token).
 */
@RestController
@RequestMapping(RestApi.PREFIX)
class DeployTokenEndpoints {

    private static final Set<TokenType> DEPLOY = Set.of(TokenType.DEPLOY);

    private final TokenService tokens;
    private final TokenRepository repository;
    private final TokenAccessPolicy policy;
    private final Paging paging;
    private final TokenViews views;
    private final Holders holders;

    DeployTokenEndpoints(TokenService tokens, TokenRepository repository, TokenAccessPolicy policy, Paging paging,
            TokenViews views, Holders holders) {
        this.tokens = tokens;
        this.repository = repository;
        this.policy = policy;
        this.paging = paging;
        this.views = views;
        this.holders = holders;
    }

    @GetMapping("/deploy_tokens")
    List<DeployTokenJson> all(Params params, @RequestAttribute(Caller.KEY) Caller caller, HttpServletRequest request,
            HttpServletResponse response) {
        if (!caller.isAdmin()) {
            throw RestError.forbidden("only administrators can list every deploy token");
        }
        return views.deploy(paging.page(caller.actor(), new TokenListScope(null, null, null, DEPLOY),
                Filters.active(params), Filters.sort(params), params, request, response));
    }

    @GetMapping("/{kind:projects|groups}/{id}/deploy_tokens")
    List<DeployTokenJson> list(@PathVariable String kind, @PathVariable String id, Params params,
            @RequestAttribute(Caller.KEY) Caller caller, HttpServletRequest request, HttpServletResponse response) {
        ResourceHolder holder = ResourceHolder.of(kind, id, holders);
        return views.deploy(paging.page(caller.actor(), holder.scope(DEPLOY), Filters.active(params),
                Filters.sort(params), params, request, response));
    }

    @GetMapping("/{kind:projects|groups}/{id}/deploy_tokens/{tokenId}")
    DeployTokenJson show(@PathVariable String kind, @PathVariable String id, @PathVariable String tokenId,
            @RequestAttribute(Caller.KEY) Caller caller) {
        return views.deploy(managed(ResourceHolder.of(kind, id, holders), tokenId, caller));
    }

    @PostMapping("/{kind:projects|groups}/{id}/deploy_tokens")
    @ResponseStatus(HttpStatus.CREATED)
    DeployTokenJson create(@PathVariable String kind, @PathVariable String id, Params params,
            @RequestAttribute(Caller.KEY) Caller caller) {
        ResourceHolder holder = ResourceHolder.of(kind, id, holders);
        return views.deploy(tokens.issue(caller.actor(), new NewToken(TokenType.DEPLOY, params.required("name"), null,
                params.requiredList("scopes"), params.date("expires_at"), null, holder.projectId(), holder.groupId(),
                null, null, params.string("username"))));
    }

    @DeleteMapping("/{kind:projects|groups}/{id}/deploy_tokens/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String kind, @PathVariable String id, @PathVariable String tokenId,
            @RequestAttribute(Caller.KEY) Caller caller) {
        AccessToken token = managed(ResourceHolder.of(kind, id, holders), tokenId, caller);
        RestError.unlessChanged(tokens.revoke(caller.actor(), token.id()));
    }

    private AccessToken managed(ResourceHolder holder, String tokenId, Caller caller) {
        return repository.findById(Ids.parse(tokenId, "token_id"))
                .filter(t -> t.type() == TokenType.DEPLOY && holder.holds(t))
                .filter(t -> policy.canManage(caller.actor(), t))
                .orElseThrow(() -> RestError.notFound("Deploy Token"));
    }
}
