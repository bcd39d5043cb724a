package dev.patrol.rest;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.patrol.owner.User;
import dev.patrol.shared.Caller;
import dev.patrol.token.AccessToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.Scope;
import dev.patrol.token.TokenAccessPolicy;
import dev.patrol.token.TokenListScope;
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * GitLab's personal access token endpoints: list (administrators all, others their own), show, rotate and revoke by
 * id or as {@code self}, and create for a user (administrators) or for oneself ({@code k8s_proxy} only, as GitLab).
 * A token nobody lets the caller manage is a 404, as if it did not exist.
 */
@RestController
@RequestMapping(RestApi.PREFIX)
class PersonalAccessTokenEndpoints {

    /** The only scope GitLab lets users give a token they create for themselves through the API. */
    private static final List<String> SELF_CREATED_SCOPES = List.of(Scope.K8S_PROXY.id());

    private final TokenService tokens;
    private final TokenRepository repository;
    private final TokenAccessPolicy policy;
    private final Paging paging;
    private final TokenViews views;
    private final Holders holders;

    PersonalAccessTokenEndpoints(TokenService tokens, TokenRepository repository, TokenAccessPolicy policy,
            Paging paging, TokenViews views, Holders holders) {
        this.tokens = tokens;
        this.repository = repository;
        this.policy = policy;
        this.paging = paging;
        this.views = views;
        this.holders = holders;
    }

    @GetMapping("/personal_access_tokens")
    List<TokenJson> list(Params params, @RequestAttribute(Caller.KEY) Caller caller, HttpServletRequest request,
            HttpServletResponse response) {
        Long userId = params.id("user_id");
        if (!caller.isAdmin()) {
            if (userId != null && !caller.actor().isUser(userId)) {
                throw RestError.unauthorized();
            }
            userId = caller.actor().userId();
        }
        TokenListScope scope = new TokenListScope(userId, null, null, RestApi.PERSONAL_ACCESS_TOKENS);
        return views.personal(paging.page(caller.actor(), scope, Filters.tokens(params), Filters.sort(params), params,
                request, response));
    }

    @GetMapping("/personal_access_tokens/self")
    TokenJson self(@RequestAttribute(Caller.KEY) Caller caller) {
        return views.personal(tokens.token(caller.tokenId()));
    }

    @GetMapping("/personal_access_tokens/{id}")
    TokenJson show(@PathVariable String id, @RequestAttribute(Caller.KEY) Caller caller) {
        return views.personal(managed(id, caller));
    }

    @PostMapping("/personal_access_tokens/self/rotate")
    TokenJson rotateSelf(Params params, @RequestAttribute(Caller.KEY) Caller caller) {
        return views.personal(tokens.rotateSelf(caller.actor(), caller.tokenId(), params.date("expires_at")));
    }

    /**
     * Rotating the presented token by its id is self-rotation, allowed with {@code self_rotate} or {@code api}; any
     * other token needs {@code api} (the door checked both) and the right to manage it.
     */
    @PostMapping("/personal_access_tokens/{id}/rotate")
    TokenJson rotate(@PathVariable String id, Params params, @RequestAttribute(Caller.KEY) Caller caller) {
        if (caller.isOwnToken(Ids.parse(id, "id"))) {
            return rotateSelf(params, caller);
        }
        AccessToken token = managed(id, caller);
        return views.personal(tokens.rotate(caller.actor(), token.id(), params.date("expires_at")));
    }

    @DeleteMapping("/personal_access_tokens/self")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeSelf(@RequestAttribute(Caller.KEY) Caller caller) {
        RestError.unlessChanged(tokens.revokeSelf(caller.actor(), caller.tokenId()));
    }

    @DeleteMapping("/personal_access_tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String id, @RequestAttribute(Caller.KEY) Caller caller) {
        AccessToken token = managed(id, caller);
        RestError.unlessChanged(caller.isOwnToken(token.id()) ? tokens.revokeSelf(caller.actor(), token.id())
                : tokens.revoke(caller.actor(), token.id()));
    }

    @PostMapping("/users/{userId}/personal_access_tokens")
    @ResponseStatus(HttpStatus.CREATED)
    TokenJson createForUser(@PathVariable String userId, Params params, @RequestAttribute(Caller.KEY) Caller caller) {
        if (!caller.isAdmin()) {
            throw RestError.forbidden("only administrators can create tokens for a user");
        }
        User user = holders.user(userId);
        return views.personal(tokens.issue(caller.actor(), new NewToken(TokenType.PERSONAL, params.required("name"),
                params.string("description"), params.requiredList("scopes"), params.date("expires_at"), user.id(),
                null, null, null, null, null)));
    }

    @PostMapping("/user/personal_access_tokens")
    @ResponseStatus(HttpStatus.CREATED)
    TokenJson createForSelf(Params params, @RequestAttribute(Caller.KEY) Caller caller) {
        String name = params.required("name");
        List<String> scopes = params.requiredList("scopes");
        if (!SELF_CREATED_SCOPES.containsAll(scopes)) {
            throw RestError.badRequest("scopes does not have a valid value");
        }
        return views.personal(tokens.issue(caller.actor(), new NewToken(TokenType.PERSONAL, name,
                params.string("description"), scopes, params.date("expires_at"), caller.actor().userId(), null, null,
                null, null, null)));
    }

    /** The personal access token with this id, if the caller may manage it; else GitLab's 404. */
    private AccessToken managed(String id, Caller caller) {
        return repository.findById(Ids.parse(id, "id"))
                .filter(t -> RestApi.PERSONAL_ACCESS_TOKENS.contains(t.type()))
                .filter(t -> policy.canManage(caller.actor(), t))
                .orElseThrow(() -> RestError.notFound("Personal Access Token"));
    }
}
