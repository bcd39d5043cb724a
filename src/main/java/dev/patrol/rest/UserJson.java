package dev.patrol.rest;


import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * GitLab's user entity: the public fields, plus {@code email} for the user themself and administrators, and
 * {@code is_admin} for administrators.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record UserJson(
        long id,
        String username,
        String name,
        String state,
        boolean locked,
        String avatarUrl,
        String webUrl,
        String createdAt,
        boolean bot,
        @JsonInclude(JsonInclude.Include.NON_NULL) String email,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean isAdmin) {
}
