package dev.patrol.inventory;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.GlobalId;
import dev.patrol.token.TokenType;

/**
 * One row of the credentials inventory: an access token of any type, or an SSH key, with its owner and the token's
 * scopes and last-used addresses (empty for SSH keys), all read by the row's one statement.
 *
 * @param owner        the user the credential belongs to; null for tokens without one
 * @param type         a {@link TokenType} name, or SSH_KEY
 * @param resourcePath the full path of the project or group a resource token belongs to
 */
public record InventoryCredential(
        CredentialKind kind,
        long id,
        String type,
        String name,
        Long userId,
        User owner,
        Long projectId,
        Long groupId,
        String resourcePath,
        Integer accessLevel,
        OffsetDateTime createdAt,
        Long createdById,
        LocalDate expiresAt,
        OffsetDateTime revokedAt,
        OffsetDateTime lastUsedAt,
        CredentialState state,
        List<String> scopes,
        List<String> lastUsedIps) {

    public static final String SSH_KEY_TYPE = "SSH_KEY";
    public static final String SSH_KEY_MODEL = "SshKey";

    public String ownerUsername() {
        return owner == null ? null : owner.username();
    }

    public UserKind ownerKind() {
        return owner == null ? null : owner.kind();
    }

    public boolean isToken() {
        return kind == CredentialKind.ACCESS_TOKEN;
    }

    /**
     * A row is identified by its kind and id. The owner batch loader keys its map by row, and hashing every
     * component of a hundred rows, lists included, showed up in the inventory page's profile.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof InventoryCredential c && c.kind == kind && c.id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + kind.ordinal();
    }

    /** The global ID: {@code gid://patrol/PersonalAccessToken/12} or {@code gid://patrol/SshKey/3}. */
    public String globalId() {
        return GlobalId.of(isToken() ? TokenType.valueOf(type).modelName() : SSH_KEY_MODEL, id);
    }
}
