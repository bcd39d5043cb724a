package dev.patrol.token;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every scope a token can carry, with what it grants. */
public enum Scope {
    API("Read-write for the complete API, including all groups and projects, the container registry and the package registry."),
    READ_API("Read-only for the complete API, including all groups and projects, the container registry and the package registry."),
    READ_USER("Read-only for endpoints under /users: the authenticated user's profile and other users' public profiles."),
    READ_REPOSITORY("Read-only (pull) for repositories through Git over HTTPS."),
    WRITE_REPOSITORY("Read-write (pull, push) for repositories through Git over HTTPS."),
    READ_REGISTRY("Read-only (pull) for container registry images."),
    WRITE_REGISTRY("Read-write (push) for container registry images."),
    READ_VIRTUAL_REGISTRY("Read-only (pull) for container images through the dependency proxy."),
    WRITE_VIRTUAL_REGISTRY("Read-write (push, pull, delete) for container images through the dependency proxy."),
    READ_PACKAGE_REGISTRY("Read-only (pull) for the package registry."),
    WRITE_PACKAGE_REGISTRY("Read-write (push) for the package registry."),
    CREATE_RUNNER("Create runners."),
    MANAGE_RUNNER("Manage runners."),
    K8S_PROXY("Kubernetes API calls through the agent for Kubernetes."),
    AI_FEATURES("AI features."),
    SELF_ROTATE("Rotate this token, and nothing else."),
    SUDO("API actions as any user, when the owner is an administrator."),
    ADMIN_MODE("Administrator API actions in admin mode, when the owner is an administrator."),
    READ_SERVICE_PING("Read service ping data, when the owner is an administrator."),
    INTROSPECT("Ask whether other tokens are active (RFC 7662 token introspection at /oauth/introspect), when the owner is an administrator or a service account.");

    private final String id;
    private final String description;

    Scope(String description) {
        this.id = name().toLowerCase(Locale.ROOT);
        this.description = description;
    }

    /** The wire name, as in GitLab: {@code read_api}. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** Scopes only an administrator's token may carry. */
    public boolean needsAdminOwner() {
        return this == SUDO || this == ADMIN_MODE || this == READ_SERVICE_PING;
    }

    /** Scopes only an administrator's or a service account's token may carry: a resource server's credential. */
    public boolean needsAdminOrServiceAccountOwner() {
        return this == INTROSPECT;
    }

    /** Walks decode a scope list per token: a look-up, not a scan of the registry. */
    private static final Map<String, Scope> BY_ID = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Scope::id, s -> s));

    public static Optional<Scope> fromId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }
}
