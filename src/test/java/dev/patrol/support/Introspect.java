package dev.patrol.support;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** Calls {@code POST /oauth/introspect} as a resource server would: a form, and the caller's credentials. */
public final class Introspect {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiHttp http;
    private final String[] callerHeaders;

    private Introspect(ApiHttp http, String... callerHeaders) {
        this.http = http;
        this.callerHeaders = callerHeaders;
    }

    /** A caller that authenticates with a token in {@code Authorization: Bearer}. */
    public static Introspect withBearer(ApiHttp http, String callerToken) {
        return new Introspect(http, "Authorization", "Bearer " + callerToken);
    }

    /** A caller that authenticates with an OAuth application's ID and secret (HTTP Basic, RFC 6749 2.3.1). */
    public static Introspect withClient(ApiHttp http, String clientId, String secret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return new Introspect(http, "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    /** A caller with any headers (none: unauthenticated). */
    public static Introspect withHeaders(ApiHttp http, String... headers) {
        return new Introspect(http, headers);
    }

    /** The answer about {@code token} as a JSON map; fails unless HTTP 200. */
    public Map<String, Object> token(String token, String... moreParameters) {
        HttpResponse<String> response = post(withToken(token, moreParameters));
        if (response.statusCode() != 200) {
            throw new AssertionError("introspection answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** POSTs the parameters (name, value, ...) as a form. */
    public HttpResponse<String> post(String... parameters) {
        return http.send(HttpRequest.newBuilder(http.uri("/oauth/introspect"))
                .POST(HttpRequest.BodyPublishers.ofString(form(parameters)))
                .header("Content-Type", "application/x-www-form-urlencoded"), callerHeaders);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        return http.send(request, callerHeaders);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String json) {
        return JSON.readValue(json, Map.class);
    }

    public static String form(String... parameters) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < parameters.length; i += 2) {
            pairs.add(URLEncoder.encode(parameters[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(parameters[i + 1], StandardCharsets.UTF_8));
        }
        return String.join("&", pairs);
    }

    private static String[] withToken(String token, String... more) {
        String[] all = new String[more.length + 2];
        all[0] = "token";
        all[1] = token;
        System.arraycopy(more, 0, all, 2, more.length);
        return all;
    }
}
