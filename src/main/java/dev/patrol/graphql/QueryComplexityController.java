package dev.patrol.graphql;

import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import graphql.GraphQLContext;

/** Serves {@code queryComplexity}, so clients can see how close a query is to the limit. */
@Controller
class QueryComplexityController {

    @QueryMapping
    QueryComplexity queryComplexity(GraphQLContext context) {
        return context.get(QueryLimits.COMPLEXITY_KEY);
    }
}
