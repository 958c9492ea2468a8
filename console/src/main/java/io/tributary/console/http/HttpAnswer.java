package io.tributary.console.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One complete HTTP response: status, content type, body bytes and any extra headers. */
public record HttpAnswer(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json; charset=utf-8";

    public HttpAnswer {
        headers = Map.copyOf(headers);
    }

    public static HttpAnswer of(int status, String contentType, byte[] body) {
        return new HttpAnswer(status, contentType, body, Map.of());
    }

    public static HttpAnswer text(int status, String contentType, String body) {
        return of(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public HttpAnswer withHeader(String name, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpAnswer(status, contentType, body, more);
    }
}
