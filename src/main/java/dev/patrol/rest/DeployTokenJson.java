package dev.patrol.rest;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** GitLab's deploy token entity; {@code token}, the secret, only in the answer to a create. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record DeployTokenJson(
        long id,
        String name,
        String username,
        String expiresAt,
        boolean revoked,
        boolean expired,
        List<String> scopes,
        @JsonInclude(JsonInclude.Include.NON_NULL) String token) {

    @Override
    public String toString() {
        return "DeployTokenJson[" + id + ", token=" + (token == null ? "none" : "<hidden>") + "]";
    }
}
