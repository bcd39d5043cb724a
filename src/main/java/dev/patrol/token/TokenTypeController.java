package dev.patrol.token;

import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** Serves {@code tokenTypes} and {@code scopes}: the registry, read-only, as {@code TokenTypeInfo} and {@code ScopeInfo}. */
@Controller
class TokenTypeController {

    @QueryMapping
    List<TokenType> tokenTypes() {
        return List.of(TokenType.values());
    }

    @QueryMapping
    List<Scope> scopes(@Argument TokenType tokenType) {
        return tokenType == null ? List.of(Scope.values()) : tokenType.allowedScopesOrdered();
    }

    @SchemaMapping(typeName = "TokenTypeInfo")
    TokenType type(TokenType type) {
        return type;
    }

    @SchemaMapping(typeName = "TokenTypeInfo")
    List<Scope> allowedScopes(TokenType type) {
        return type.allowedScopesOrdered();
    }

    @SchemaMapping(typeName = "TokenTypeInfo")
    ExpiryRule expiryRule(TokenType type) {
        return type.expiry();
    }

    @SchemaMapping(typeName = "TokenTypeInfo")
    boolean rotatable(TokenType type) {
        return type.renewal() == Renewal.ROTATE;
    }

    @SchemaMapping(typeName = "TokenTypeInfo")
    boolean resettable(TokenType type) {
        return type.renewal() == Renewal.RESET;
    }

    @SchemaMapping(typeName = "ScopeInfo")
    String name(Scope scope) {
        return scope.id();
    }

    @SchemaMapping(typeName = "ScopeInfo")
    boolean adminOnly(Scope scope) {
        return scope.needsAdminOwner();
    }

    @SchemaMapping(typeName = "ScopeInfo")
    boolean adminOrServiceAccountOnly(Scope scope) {
        return scope.needsAdminOrServiceAccountOwner();
    }

}
