package io.tributary.console.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON answers: values (records, maps, lists) written by one shared Jackson mapper. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    public static HttpAnswer ok(Object value) {
        return answer(200, value);
    }

    public static HttpAnswer answer(int status, Object value) {
        return HttpAnswer.of(status, HttpAnswer.JSON, bytes(value)).withHeader("Cache-Control", "no-store");
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static HttpAnswer problem(ApiProblem problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problem.status());
        body.put("error", problem.error());
        body.put("message", problem.getMessage());
        return answer(problem.status(), body);
    }
}
