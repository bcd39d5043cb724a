package dev.patrol.graphql;

/** The limits that apply to the caller and this request's figures: its score and its estimated nodes. */
public record QueryComplexity(int limit, int score, int nodeLimit, int nodes) {
}
