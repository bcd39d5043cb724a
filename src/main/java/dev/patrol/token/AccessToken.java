package dev.patrol.token;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A token as stored: never its secret. {@code familyId} is null for a token that was never part of a rotation;
 * its family is then itself.
 */
public record AccessToken(
        long id,
        TokenType type,
        String name,
        String description,
        Long userId,
        Long projectId,
        Long groupId,
        Long resourceId,
        Long rootGroupId,
        Integer accessLevel,
        String username,
        String displayPrefix,
        LocalDateTime createdAt,
        Long createdById,
        LocalDate expiresAt,
        LocalDateTime revokedAt,
        String revokeReason,
        LocalDateTime lastUsedAt,
        Long previousTokenId,
        Long familyId,
        List<Scope> scopes) {

    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** A token expires at 00:00 UTC on its expiry date. */
    public boolean isExpired(LocalDate todayUtc) {
        return expiresAt != null && !todayUtc.isBefore(expiresAt);
    }

    public boolean isActive(LocalDate todayUtc) {
        return !isRevoked() && !isExpired(todayUtc);
    }

    public long familyRootId() {
        return familyId != null ? familyId : id;
    }

    /** {@code PersonalAccessToken/12}: the form used in logs and global IDs. */
    public String reference() {
        return type.modelName() + "/" + id;
    }

    /** The ids of its scopes ({@code api}, {@code read_api}, ...), as the shared {@code Caller} carries them. */
    public Set<String> scopeIds() {
        return scopes.stream().map(Scope::id).collect(Collectors.toUnmodifiableSet());
    }

    public boolean hasScope(Scope scope) {
        return scopes.contains(scope);
    }

    /** This draft as inserted: with its id and the username stored with it. */
    public AccessToken stored(long newId, String storedUsername) {
        return new AccessToken(newId, type, name, description, userId, projectId, groupId, resourceId, rootGroupId,
                accessLevel, storedUsername, displayPrefix, createdAt, createdById, expiresAt, revokedAt, revokeReason,
                lastUsedAt, previousTokenId, familyId, scopes);
    }

    /** This token as a revocation at {@code at} leaves it. */
    public AccessToken revoked(LocalDateTime at, String reason) {
        return new AccessToken(id, type, name, description, userId, projectId, groupId, resourceId, rootGroupId,
                accessLevel, username, displayPrefix, createdAt, createdById, expiresAt, at, reason, lastUsedAt,
                previousTokenId, familyId, scopes);
    }

    /** This token as a change of its expiry leaves it. */
    public AccessToken expiringOn(LocalDate date) {
        return new AccessToken(id, type, name, description, userId, projectId, groupId, resourceId, rootGroupId,
                accessLevel, username, displayPrefix, createdAt, createdById, date, revokedAt, revokeReason, lastUsedAt,
                previousTokenId, familyId, scopes);
    }

    public AccessToken withScopes(List<Scope> newScopes) {
        return new AccessToken(id, type, name, description, userId, projectId, groupId, resourceId, rootGroupId,
                accessLevel, username, displayPrefix, createdAt, createdById, expiresAt, revokedAt, revokeReason,
                lastUsedAt, previousTokenId, familyId, List.copyOf(newScopes));
    }
}
