package dev.patrol.token;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.settings.InstanceSettings;
import dev.patrol.shared.PatrolException;

/** The fields of a token request, each checked against its type's rules and the instance's lifetime policy. */
final class TokenFields {

    private TokenFields() {
    }

    static String validName(String name, TokenType type) {
        if (name == null || name.isBlank()) {
            if (type.onePerHolder()) {
                String label = type.label();
                return Character.toUpperCase(label.charAt(0)) + label.substring(1);
            }
            throw PatrolException.badInput("Name can't be blank.");
        }
        if (name.strip().length() > 255) {
            throw PatrolException.badInput("Name is too long (at most 255 characters).");
        }
        return name.strip();
    }

    static String validDescription(String description) {
        if (description == null || description.isBlank()) {
            return null;
        }
        if (description.length() > 1000) {
            throw PatrolException.badInput("Description is too long (at most 1000 characters).");
        }
        return description.strip();
    }

    static List<Scope> validScopes(TokenType type, List<String> requested, User owner) {
        List<String> names = requested == null ? List.of() : requested;
        if (!type.hasScopes()) {
            if (!names.isEmpty()) {
                throw PatrolException.badInput("A " + type.label() + " has no selectable scopes.");
            }
            return List.of();
        }
        if (names.isEmpty()) {
            throw PatrolException.badInput("Scopes can't be blank: choose at least one of "
                    + type.allowedScopesOrdered().stream().map(Scope::id).toList() + ".");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            Scope scope = Scope.fromId(name == null ? "" : name.strip().toLowerCase())
                    .orElseThrow(() -> PatrolException.badInput("Unknown scope '" + name + "'."));
            if (!type.allowedScopes().contains(scope)) {
                throw PatrolException.badInput("Scope '" + scope.id() + "' is not allowed for a " + type.label()
                        + "; allowed: " + type.allowedScopesOrdered().stream().map(Scope::id).toList() + ".");
            }
            if (scope.needsAdminOwner() && (owner == null || !owner.admin())) {
                throw PatrolException.badInput("Scope '" + scope.id() + "' needs an administrator as the token's user.");
            }
            if (scope.needsAdminOrServiceAccountOwner()
                    && (owner == null || !(owner.admin() || owner.kind() == UserKind.SERVICE_ACCOUNT))) {
                throw PatrolException.badInput("Scope '" + scope.id()
                        + "' needs an administrator or a service account as the token's user.");
            }
            scopes.add(scope);
        }
        return List.copyOf(scopes);
    }

    /**
     * The expiry a new token gets: the requested date if it is after today and within the maximum lifetime;
     * none for types that never expire; else a default of {@code defaultDays} (capped by the maximum) when the
     * instance requires expiry.
     */
    static LocalDate validExpiry(TokenType type, LocalDate requested, InstanceSettings policy, int defaultDays,
            LocalDate today) {
        if (type.expiry() == ExpiryRule.NEVER) {
            if (requested != null) {
                throw PatrolException.badInput("A " + type.label() + " never expires; leave the expiry date empty.");
            }
            return null;
        }
        if (requested == null) {
            if (type.expiry() == ExpiryRule.POLICY && policy.requireExpiration()) {
                return today.plusDays(Math.min(defaultDays, policy.maxLifetimeDays()));
            }
            return null;
        }
        if (!requested.isAfter(today)) {
            throw PatrolException.badInput("Expiration date must be after today (" + today + ").");
        }
        if (type.expiry() == ExpiryRule.POLICY && requested.isAfter(today.plusDays(policy.maxLifetimeDays()))) {
            throw PatrolException.badInput("Expiration date must be no more than " + policy.maxLifetimeDays()
                    + " days from today (" + today.plusDays(policy.maxLifetimeDays()) + ").");
        }
        return requested;
    }

    static String validDeployUsername(TokenType type, String username) {
        if (username == null || username.isBlank()) {
            return null;
        }
        if (!type.hasUsername()) {
            throw PatrolException.badInput("Only deploy tokens have a username.");
        }
        if (!username.matches("[A-Za-z0-9_.+\\-]{1,255}")) {
            throw PatrolException.badInput("A deploy token username is 1 to 255 letters, digits, '_', '.', '+' or '-'.");
        }
        return username;
    }
}
