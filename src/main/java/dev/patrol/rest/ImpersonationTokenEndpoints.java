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

import dev.patrol.owner.User;
import dev.patrol.shared.Caller;
import dev.patrol.token.AccessToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenListScope;
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** GitLab's {@code /users/:user_id/impersonation_tokens}: list ({@code state}), show, create, revoke; administrators only. */
@RestController
@RequestMapping(RestApi.PREFIX + "/users/{userId}/impersonation_tokens")
class ImpersonationTokenEndpoints {

    private static final Set<TokenType> IMPERSONATION = Set.of(TokenType.IMPERSONATION);

    private final TokenService tokens;
    private final TokenRepository repository;
    private final Paging paging;
    private final TokenViews views;
    private final Holders holders;

    ImpersonationTokenEndpoints(TokenService tokens, TokenRepository repository, Paging paging, TokenViews views,
            Holders holders) {
        this.tokens = tokens;
        this.repository = repository;
        this.paging = paging;
        this.views = views;
        this.holders = holders;
    }

    @GetMapping
    List<TokenJson> list(@PathVariable String userId, Params params, @RequestAttribute(Caller.KEY) Caller caller,
            HttpServletRequest request, HttpServletResponse response) {
        User user = user(userId, caller);
        return views.personal(paging.page(caller.actor(), TokenListScope.ofUser(user.id(), IMPERSONATION),
                Filters.state(params), Filters.sort(params), params, request, response));
    }

    @GetMapping("/{tokenId}")
    TokenJson show(@PathVariable String userId, @PathVariable String tokenId,
            @RequestAttribute(Caller.KEY) Caller caller) {
        return views.personal(token(user(userId, caller), tokenId));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TokenJson create(@PathVariable String userId, Params params, @RequestAttribute(Caller.KEY) Caller caller) {
        User user = user(userId, caller);
        return views.personal(tokens.issue(caller.actor(), new NewToken(TokenType.IMPERSONATION,
                params.required("name"), params.string("description"), params.requiredList("scopes"),
                params.date("expires_at"), user.id(), null, null, null, null, null)));
    }

    @DeleteMapping("/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String userId, @PathVariable String tokenId,
            @RequestAttribute(Caller.KEY) Caller caller) {
        AccessToken token = token(user(userId, caller), tokenId);
        RestError.unlessChanged(tokens.revoke(caller.actor(), token.id()));
    }

    private User user(String userId, Caller caller) {
        if (!caller.isAdmin()) {
            throw RestError.forbidden("impersonation tokens are for administrators");
        }
        return holders.user(userId);
    }

    private AccessToken token(User user, String tokenId) {
        return repository.findById(Ids.parse(tokenId, "impersonation_token_id"))
                .filter(t -> t.type() == TokenType.IMPERSONATION && Long.valueOf(user.id()).equals(t.userId()))
                .orElseThrow(() -> RestError.notFound("Impersonation Token"));
    }
}
