package dev.patrol.graphql;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on one GraphQL request ({@code patrol.graphql.*}), at least as strict as GitLab's. Every request to
 * Patrol is authenticated, so {@code maxDepthAuthenticated} applies in practice; {@code maxDepth} is kept for
 * parity and for any unauthenticated execution.
 */
@ConfigurationProperties("patrol.graphql")
public record GraphQlLimits(
        @DefaultValue("15") int maxDepth,
        @DefaultValue("20") int maxDepthAuthenticated,
        @DefaultValue("250") int maxComplexity,
        @DefaultValue("300") int maxComplexityAdmin,
        @DefaultValue("10000") int maxQueryLength,
        @DefaultValue("30") int maxAliases,
        @DefaultValue("1") int maxOperations,
        @DefaultValue("10000") int maxNodes,
        @DefaultValue("10s") Duration executionTimeout) {
}
