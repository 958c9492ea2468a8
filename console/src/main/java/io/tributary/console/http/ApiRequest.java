package io.tributary.console.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One decoded request: method, path split into decoded segments, query parameters and the body. The typed
 * getters turn a malformed value into a 400 {@link ApiProblem} that names the parameter, the value and what
 * was expected, so no handler sees a NumberFormatException.
 */
public final class ApiRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String method;
    private final String path;
    private final List<String> segments;
    private final Map<String, List<String>> query;
    private final byte[] body;
    private final Map<String, String> cookies;

    public ApiRequest(String method, String path, Map<String, List<String>> query, byte[] body) {
        this(method, path, query, body, Map.of());
    }

    public ApiRequest(String method, String path, Map<String, List<String>> query, byte[] body, Map<String, String> cookies) {
        this.method = method;
        this.path = path;
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        this.segments = List.copyOf(parts);
        this.query = Map.copyOf(query);
        this.body = body;
        this.cookies = Map.copyOf(cookies);
    }

    /** The value of the cookie {@code name} the browser sent, or null. */
    public String cookie(String name) {
        return cookies.get(name);
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** Path segments, decoded: "/api/topics/orders" is [api, topics, orders]. */
    public List<String> segments() {
        return segments;
    }

    public boolean isRead() {
        return method.equals("GET") || method.equals("HEAD");
    }

    /** The query parameter, or null when absent or empty. */
    public String param(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
            return null;
        }
        return values.get(0);
    }

    public String param(String name, String absent) {
        String v = param(name);
        return v == null ? absent : v;
    }

    public long longParam(String name, long absent, long min, long max) {
        String v = param(name);
        if (v == null) {
            return absent;
        }
        return parseLong(name, v, min, max);
    }

    public static long parseLong(String name, String v, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be a whole number, got '" + v + "'");
        }
        if (parsed < min || parsed > max) {
            throw ApiProblem.badRequest(name + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    /** A comma-separated list of whole numbers ("0,2,5"), or empty when absent. */
    public List<Integer> intListParam(String name, int min, int max) {
        String v = param(name);
        List<Integer> values = new ArrayList<>();
        if (v == null) {
            return values;
        }
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                values.add((int) parseLong(name, part, min, max));
            }
        }
        return values;
    }

    /** The body as JSON; an absent body is JSON null; malformed JSON is a 400. */
    public JsonNode json() {
        if (body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiProblem.badRequest("The request body cannot be read: " + e.getMessage());
        }
    }

    /** The body as a JSON object; anything else is a 400. */
    public JsonNode jsonObject() {
        JsonNode node = json();
        if (!node.isObject()) {
            throw ApiProblem.badRequest("The request body must be a JSON object, got " + (node.isNull() ? "nothing" : node.getNodeType()));
        }
        return node;
    }
}
