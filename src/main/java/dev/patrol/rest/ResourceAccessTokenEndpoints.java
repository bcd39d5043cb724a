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
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * GitLab's {@code /projects/:id/access_tokens} and {@code /groups/:id/access_tokens}: list ({@code state}), show,
 * create ({@code access_level}, default Maintainer), rotate and revoke. Who may is the token module's rule (project
 * Maintainers, group Owners, administrators); a token the caller may not manage is a 404.
 */
@RestController
@RequestMapping(RestApi.PREFIX + "/{kind:projects|groups}/{id}/access_tokens")
class ResourceAccessTokenEndpoints {

    private final TokenService tokens;
    private final TokenRepository repository;
    private final TokenAccessPolicy policy;
    private final Paging paging;
    private final TokenViews views;
    private final Holders holders;

    ResourceAccessTokenEndpoints(TokenService tokens, TokenRepository repository, TokenAccessPolicy policy,
            Paging paging, TokenViews views, Holders holders) {
        this.tokens = tokens;
        this.repository = repository;
        this.policy = policy;
        this.paging = paging;
        this.views = views;
        this.holders = holders;
    }

    @GetMapping
    List<TokenJson> list(@PathVariable String kind, @PathVariable String id, Params params,
            @RequestAttribute(Caller.KEY) Caller caller, HttpServletRequest request, HttpServletResponse response) {
        ResourceHolder holder = ResourceHolder.of(kind, id, holders);
        return views.personal(paging.page(caller.actor(), holder.scope(Set.of(holder.accessTokenType())),
                Filters.state(params), Filters.sort(params), params, request, response));
    }

    @GetMapping("/{tokenId}")
    TokenJson show(@PathVariable String kind, @PathVariable String id, @PathVariable String tokenId,
            @RequestAttribute(Caller.KEY) Caller caller) {
        return views.personal(managed(ResourceHolder.of(kind, id, holders), tokenId, caller));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TokenJson create(@PathVariable String kind, @PathVariable String id, Params params,
            @RequestAttribute(Caller.KEY) Caller caller) {
        ResourceHolder holder = ResourceHolder.of(kind, id, holders);
        return views.personal(tokens.issue(caller.actor(), new NewToken(holder.accessTokenType(),
                params.required("name"), params.string("description"), params.requiredList("scopes"),
                params.date("expires_at"), null, holder.projectId(), holder.groupId(), null,
                params.integer("access_level"), null)));
    }

    @PostMapping("/{tokenId}/rotate")
    TokenJson rotate(@PathVariable String kind, @PathVariable String id, @PathVariable String tokenId, Params params,
            @RequestAttribute(Caller.KEY) Caller caller) {
        AccessToken token = managed(ResourceHolder.of(kind, id, holders), tokenId, caller);
        return views.personal(tokens.rotate(caller.actor(), token.id(), params.date("expires_at")));
    }

    @DeleteMapping("/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String kind, @PathVariable String id, @PathVariable String tokenId,
            @RequestAttribute(Caller.KEY) Caller caller) {
        AccessToken token = managed(ResourceHolder.of(kind, id, holders), tokenId, caller);
        RestError.unlessChanged(tokens.revoke(caller.actor(), token.id()));
    }

    private AccessToken managed(ResourceHolder holder, String tokenId, Caller caller) {
        return repository.findById(Ids.parse(tokenId, "token_id"))
                .filter(t -> t.type() == holder.accessTokenType() && holder.holds(t))
                .filter(t -> policy.canManage(caller.actor(), t))
                .orElseThrow(() -> RestError.notFound("Token"));
    }
}
