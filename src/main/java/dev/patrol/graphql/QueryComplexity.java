package dev.patrol.graphql;

/** The complexity limit that applies to the caller and this request's score. */
public record QueryComplexity(int limit, int score) {
}
