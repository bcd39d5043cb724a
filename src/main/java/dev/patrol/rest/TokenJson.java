package dev.patrol.rest;

import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * GitLab's personal access token entity, also its impersonation token ({@code impersonation}) and its project and
 * group access tokens ({@code access_level}, {@code resource_type}, {@code resource_id}). {@code token}, the secret,
 * is there only in the answer to a create or rotate.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record TokenJson(
        long id,
        String name,
        boolean revoked,
        String createdAt,
        String description,
        List<String> scopes,
        Long userId,
        String lastUsedAt,
        List<String> lastUsedIps,
        boolean active,
        LocalDate expiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean impersonation,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer accessLevel,
        @JsonInclude(JsonInclude.Include.NON_NULL) String resourceType,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long resourceId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String token) {

    @Override
    public String toString() {
        return "TokenJson[" + id + ", token=" + (token == null ? "none" : "<hidden>") + "]";
    }
}
