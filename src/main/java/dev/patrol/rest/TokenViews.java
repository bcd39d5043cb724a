package dev.patrol.rest;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.patrol.token.AccessToken;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.Scope;
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/**
 * Tokens as GitLab's entities. A page's scopes and last-used addresses load in one statement each, whatever its size;
 * the secret appears only when the token was just issued.
 */
@Component
class TokenViews {

    private static final DateTimeFormatter GITLAB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private final TokenRepository repository;
    private final TokenService tokens;

    TokenViews(TokenRepository repository, TokenService tokens) {
        this.repository = repository;
        this.tokens = tokens;
    }

    List<TokenJson> personal(List<AccessToken> page) {
        List<Long> ids = page.stream().map(AccessToken::id).toList();
        Map<Long, List<Scope>> scopes = ids.isEmpty() ? Map.of() : repository.scopesOf(ids);
        Map<Long, List<String>> ips = ids.isEmpty() ? Map.of() : repository.lastUsedIps(ids);
        return page.stream().map(t -> personal(t, scopes.getOrDefault(t.id(), List.of()),
                ips.getOrDefault(t.id(), List.of()), null)).toList();
    }

    TokenJson personal(AccessToken token) {
        return personal(List.of(token)).getFirst();
    }

    TokenJson personal(IssuedToken issued) {
        AccessToken token = issued.token();
        return personal(token, token.scopes(), List.of(), issued.secret());
    }

    private TokenJson personal(AccessToken t, List<Scope> scopes, List<String> ips, String secret) {
        boolean resource = t.type().hasRole();
        return new TokenJson(t.id(), t.name(), t.isRevoked(), time(t.createdAt()), t.description(), ids(scopes),
                t.userId(), time(t.lastUsedAt()), ips, t.isActive(tokens.today()), t.expiresAt(),
                t.type() == TokenType.IMPERSONATION ? Boolean.TRUE : null,
                resource ? t.accessLevel() : null,
                resource ? (t.type() == TokenType.PROJECT ? "project" : "group") : null,
                resource ? (t.type() == TokenType.PROJECT ? t.projectId() : t.groupId()) : null,
                secret);
    }

    List<DeployTokenJson> deploy(List<AccessToken> page) {
        List<Long> ids = page.stream().map(AccessToken::id).toList();
        Map<Long, List<Scope>> scopes = ids.isEmpty() ? Map.of() : repository.scopesOf(ids);
        return page.stream().map(t -> deploy(t, scopes.getOrDefault(t.id(), List.of()), null)).toList();
    }

    DeployTokenJson deploy(AccessToken token) {
        return deploy(List.of(token)).getFirst();
    }

    DeployTokenJson deploy(IssuedToken issued) {
        return deploy(issued.token(), issued.token().scopes(), issued.secret());
    }

    /** GitLab gives a deploy token's expiry as a time: 00:00 UTC on the date, when it expires. */
    private DeployTokenJson deploy(AccessToken t, List<Scope> scopes, String secret) {
        return new DeployTokenJson(t.id(), t.name(), t.username(),
                t.expiresAt() == null ? null : time(t.expiresAt().atStartOfDay()),
                t.isRevoked(), t.isExpired(tokens.today()), ids(scopes), secret);
    }

    private static List<String> ids(List<Scope> scopes) {
        return scopes.stream().map(Scope::id).toList();
    }

    /** Patrol stores UTC times; GitLab shows them with milliseconds, always three digits. */
    static String time(LocalDateTime utc) {
        return utc == null ? null : GITLAB_TIME.format(utc);
    }
}
