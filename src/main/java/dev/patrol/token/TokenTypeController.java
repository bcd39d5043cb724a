package dev.patrol.token;

import java.time.LocalDate;
import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.settings.InstanceSettings;
import dev.patrol.settings.SettingsService;

/** Serves {@code tokenTypes} and {@code scopes}: the registry, read-only, as {@code TokenTypeInfo} and {@code ScopeInfo}. */
@Controller
class TokenTypeController {

    private final SettingsService settings;
    private final TokenService tokens;

    TokenTypeController(SettingsService settings, TokenService tokens) {
        this.settings = settings;
        this.tokens = tokens;
    }

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

    /** The instance's lifetime rule as it applies to a token of this type created today; what the create forms show. */
    @SchemaMapping(typeName = "TokenTypeInfo")
    boolean expiryRequired(TokenType type) {
        return type.expiry() == ExpiryRule.POLICY && settings.current().requireExpiration();
    }

    @SchemaMapping(typeName = "TokenTypeInfo")
    LocalDate defaultExpiresAt(TokenType type) {
        return TokenFields.validExpiry(type, null, settings.current(), TokenType.DEFAULT_LIFETIME_DAYS, tokens.today());
    }

    @SchemaMapping(typeName = "TokenTypeInfo")
    LocalDate maxExpiresAt(TokenType type) {
        InstanceSettings policy = settings.current();
        return type.expiry() == ExpiryRule.POLICY ? tokens.today().plusDays(policy.maxLifetimeDays()) : null;
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
