package dev.patrol.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP transport beyond what Spring GraphQL serves: {@code GET /graphql} for queries (GraphQL over HTTP; the
 * authentication filter answers mutations over GET with 405) and CORS for browser front ends.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class HttpTransport {

    static final String PATH = "/graphql";

    /** Runs before authentication so that preflight requests (which carry no token) and refusals get CORS headers. */
    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST"));
        cors.setAllowedHeaders(List.of("Content-Type", "Accept", "Authorization", "PRIVATE-TOKEN", "Sudo"));
        cors.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration(PATH, cors);
        source.registerCorsConfiguration("/inventory/**", cors);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** GET with {@code query}, {@code operationName} and {@code variables} parameters, handled as the POST would be. */
    @Bean
    @Order(-1)
    RouterFunction<ServerResponse> graphQlGet(GraphQlHttpHandler handler, JsonMapper json) {
        return RouterFunctions.route().GET(PATH, request -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("query", request.param("query").orElse(null));
            request.param("operationName").ifPresent(name -> body.put("operationName", name));
            try {
                body.put("variables", jsonParam(request, "variables", json));
                body.put("extensions", jsonParam(request, "extensions", json));
            } catch (JacksonException e) {
                return ServerResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                        .body(Map.of("errors", List.of(Map.of("message",
                                "The variables and extensions parameters must be JSON objects."))));
            }
            return handler.handleRequest(ServerRequest.from(request)
                    .method(HttpMethod.POST)
                    .headers(headers -> headers.setContentType(MediaType.APPLICATION_JSON))
                    .body(json.writeValueAsString(body))
                    .build());
        }).build();
    }

    private static Map<?, ?> jsonParam(ServerRequest request, String name, JsonMapper json) {
        String value = request.param(name).orElse(null);
        return value == null || value.isBlank() ? null : json.readValue(value, Map.class);
    }
}
