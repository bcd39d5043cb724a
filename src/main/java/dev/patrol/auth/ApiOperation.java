package dev.patrol.auth;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

import org.springframework.http.HttpMethod;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.patrol.graphql.GraphQlLimits;
import graphql.language.Document;
import graphql.parser.Parser;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what the request asks to do ({@link ApiCall}) from the GraphQL request (the body {@link BodyLimit} read, or
 * the GET parameters), or from the method elsewhere under the API ({@link RestCall}). Never refuses: a request that
 * cannot be read counts as a read, and GraphQL refuses it later.
 */
final class ApiOperation implements Step {

    static final String GRAPHQL_PATH = "/graphql";

    private final JsonMapper json;
    private final GraphQlLimits limits;
    /** Parsed documents by query text: clients repeat the same few queries. */
    private final Cache<String, Document> documents = Caffeine.newBuilder().maximumSize(1_000).build();
    private final Function<String, Document> parser = query -> documents.get(query, Parser::parse);

    ApiOperation(JsonMapper json, GraphQlLimits limits) {
        this.json = json;
        this.limits = limits;
    }

    @Override
    public boolean pass(Passage passage) {
        passage.call = call(passage.request, passage.body);
        return true;
    }

    private ApiCall call(HttpServletRequest request, byte[] body) {
        if (!request.getRequestURI().equals(GRAPHQL_PATH)) {
            return HttpMethod.GET.matches(request.getMethod()) ? RestCall.READ : RestCall.WRITE;
        }
        if (body == null) {
            return GraphQlCall.of(request.getParameter("query"), request.getParameter("operationName"),
                    variablesParameter(request), limits.maxQueryLength(), parser);
        }
        String contentType = request.getContentType();
        if (contentType != null && contentType.startsWith("application/graphql")
                && !contentType.startsWith("application/graphql-response")) {
            return GraphQlCall.of(new String(body, StandardCharsets.UTF_8), request.getParameter("operationName"),
                    Map.of(), limits.maxQueryLength(), parser);
        }
        try {
            Map<?, ?> map = json.readValue(body, Map.class);
            return GraphQlCall.of(map.get("query") instanceof String q ? q : null,
                    map.get("operationName") instanceof String name ? name : null, stringKeys(map.get("variables")),
                    limits.maxQueryLength(), parser);
        } catch (JacksonException e) {
            return GraphQlCall.read();
        }
    }

    private Map<String, Object> variablesParameter(HttpServletRequest request) {
        String variables = request.getParameter("variables");
        if (variables == null || variables.isBlank()) {
            return Map.of();
        }
        try {
            return stringKeys(json.readValue(variables, Map.class));
        } catch (JacksonException e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
