package dev.patrol.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Raw HTTP calls to the running application from a chosen loopback address (127.0.0.x), so tests of per-address
 * behaviour (ban, last-used IPs) do not share the address every other test uses.
 */
public final class ApiHttp {

    private final int port;
    private final HttpClient client;

    public ApiHttp(int port, String localAddress) {
        this.port = port;
        try {
            this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).localAddress(InetAddress.getByName(localAddress))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ApiHttp from127(int port, int lastOctet) {
        return new ApiHttp(port, "127.0.0." + lastOctet);
    }

    /** POSTs a GraphQL query as JSON; {@code headers} are name/value pairs. */
    public HttpResponse<String> graphql(String query, String... headers) {
        String body = "{\"query\":" + jsonString(query) + "}";
        return send(HttpRequest.newBuilder(uri("/graphql")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), headers);
    }

    public HttpResponse<String> postJson(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"), headers);
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET(), headers);
    }

    public HttpResponse<String> getQuery(String query, String... headers) {
        return get("/graphql?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8), headers);
    }

    public HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    public static String jsonString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
