package dev.patrol.rest;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.jayway.jsonpath.JsonPath;

import dev.patrol.support.ApiHttp;

/** Calls of the REST API ({@code /api/v4}) as one token, from one loopback address. */
record Rest(ApiHttp http, String token, String... extraHeaders) {

    static Rest as(int port, String token) {
        return new Rest(new ApiHttp(port, "127.0.0.1"), token);
    }

    static Rest from(int port, int lastOctet, String token) {
        return new Rest(ApiHttp.from127(port, lastOctet), token);
    }

    Rest withHeader(String name, String value) {
        return new Rest(http, token, name, value);
    }

    HttpResponse<String> get(String path) {
        return http.send(HttpRequest.newBuilder(http.uri("/api/v4" + path)).GET(), headers());
    }

    HttpResponse<String> post(String path, String json) {
        return http.send(HttpRequest.newBuilder(http.uri("/api/v4" + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json"), headers());
    }

    HttpResponse<String> postForm(String path, String form) {
        return http.send(HttpRequest.newBuilder(http.uri("/api/v4" + path))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded"), headers());
    }

    HttpResponse<String> delete(String path) {
        return http.send(HttpRequest.newBuilder(http.uri("/api/v4" + path)).DELETE(), headers());
    }

    private String[] headers() {
        String[] all = new String[extraHeaders.length + (token == null ? 0 : 2)];
        System.arraycopy(extraHeaders, 0, all, 0, extraHeaders.length);
        if (token != null) {
            all[extraHeaders.length] = "PRIVATE-TOKEN";
            all[extraHeaders.length + 1] = token;
        }
        return all;
    }

    static <T> T read(HttpResponse<String> response, String path) {
        return JsonPath.read(response.body(), path);
    }
}
