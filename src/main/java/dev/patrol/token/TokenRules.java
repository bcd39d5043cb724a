package dev.patrol.token;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.ResourceKind;

/**
 * The rules of one token type, each under its name. Built in {@link TokenType}: description, holder, expiry and
 * renewal are required; a rule left out otherwise keeps the common case (no scopes, no API access, no manager role,
 * in no list, notice or bulk path).
 */
record TokenRules(String modelName, String prefix, String label, String description, Holder holder,
        ResourceKind resourceKind, Set<Scope> allowedScopes, ExpiryRule expiry, Renewal renewal, boolean apiAccess,
        boolean onePerHolder, AccessLevel managerRole, boolean impersonation, boolean hasUsername,
        boolean validOnlyWhileResourceRuns, boolean readsFeeds, boolean expiryMails, ExpiryWebhook expiryWebhook,
        boolean onExpiryCalendar, boolean extendedInBulk, boolean revokedInBulkByGroupOwners,
        boolean reportedWhenCreatorLeaves, boolean purgedAfterRetention, int estateShare) {

    static final class Builder {

        private final String modelName;
        private final String prefix;
        private final String label;
        private String description;
        private Holder holder;
        private ResourceKind resourceKind;
        private Set<Scope> allowedScopes = Set.of();
        private ExpiryRule expiry;
        private Renewal renewal;
        private boolean apiAccess;
        private boolean onePerHolder;
        private AccessLevel managerRole;
        private boolean impersonation;
        private boolean hasUsername;
        private boolean validOnlyWhileResourceRuns;
        private boolean readsFeeds;
        private boolean expiryMails;
        private ExpiryWebhook expiryWebhook = ExpiryWebhook.NONE;
        private boolean onExpiryCalendar;
        private boolean extendedInBulk;
        private boolean revokedInBulkByGroupOwners;
        private boolean reportedWhenCreatorLeaves;
        private boolean purgedAfterRetention;
        private int estateShare;

        Builder(String modelName, String prefix, String label) {
            this.modelName = modelName;
            this.prefix = prefix;
            this.label = label;
        }

        Builder description(String text) {
            this.description = text;
            return this;
        }

        Builder heldBy(Holder kind) {
            this.holder = kind;
            return this;
        }

        Builder heldByResource(ResourceKind kind) {
            this.holder = Holder.RESOURCE;
            this.resourceKind = kind;
            return this;
        }

        Builder scopes(Set<Scope> allowed) {
            this.allowedScopes = Set.copyOf(EnumSet.copyOf(allowed));
            return this;
        }

        Builder expiry(ExpiryRule rule) {
            this.expiry = rule;
            return this;
        }

        Builder renewal(Renewal kind) {
            this.renewal = kind;
            return this;
        }

        Builder apiAccess() {
            this.apiAccess = true;
            return this;
        }

        Builder onePerHolder() {
            this.onePerHolder = true;
            return this;
        }

        Builder managedBy(AccessLevel role) {
            this.managerRole = role;
            return this;
        }

        Builder impersonation() {
            this.impersonation = true;
            return this;
        }

        Builder withUsername() {
            this.hasUsername = true;
            return this;
        }

        Builder validOnlyWhileResourceRuns() {
            this.validOnlyWhileResourceRuns = true;
            return this;
        }

        Builder readsFeeds() {
            this.readsFeeds = true;
            return this;
        }

        Builder expiryMails() {
            this.expiryMails = true;
            return this;
        }

        Builder expiryWebhook(ExpiryWebhook hook) {
            this.expiryWebhook = hook;
            return this;
        }

        Builder onExpiryCalendar() {
            this.onExpiryCalendar = true;
            return this;
        }

        Builder extendedInBulk() {
            this.extendedInBulk = true;
            return this;
        }

        Builder revokedInBulkByGroupOwners() {
            this.revokedInBulkByGroupOwners = true;
            return this;
        }

        Builder reportedWhenCreatorLeaves() {
            this.reportedWhenCreatorLeaves = true;
            return this;
        }

        Builder purgedAfterRetention() {
            this.purgedAfterRetention = true;
            return this;
        }

        Builder estateShare(int percent) {
            this.estateShare = percent;
            return this;
        }

        TokenRules build() {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(holder, "holder");
            Objects.requireNonNull(expiry, "expiry");
            Objects.requireNonNull(renewal, "renewal");
            return new TokenRules(modelName, prefix, label, description, holder, resourceKind, allowedScopes, expiry,
                    renewal, apiAccess, onePerHolder, managerRole, impersonation, hasUsername,
                    validOnlyWhileResourceRuns, readsFeeds, expiryMails, expiryWebhook, onExpiryCalendar,
                    extendedInBulk, revokedInBulkByGroupOwners, reportedWhenCreatorLeaves, purgedAfterRetention,
                    estateShare);
        }
    }
}
