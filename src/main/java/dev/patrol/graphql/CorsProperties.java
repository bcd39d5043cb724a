package dev.patrol.graphql;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Origins allowed to call the API from a browser ({@code patrol.cors.allowed-origins}); none by default. */
@ConfigurationProperties("patrol.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins) {
}
