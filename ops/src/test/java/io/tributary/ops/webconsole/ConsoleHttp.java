package io.tributary.ops.webconsole;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small HTTP client for the console's JSON API in tests: each call returns status and parsed body. */
final class ConsoleHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String cookie;

    /** {@code setCookie} is the Set-Cookie header of the answer, or "". */
    record Reply(int status, String contentType, String text, String setCookie) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON (" + status + "): " + text, e);
            }
        }
    }

    ConsoleHttp(String base) {
        this(base, null);
    }

    private ConsoleHttp(String base, String cookie) {
        this.base = base;
        this.cookie = cookie;
    }

    /** The same client sending {@code cookie} ("name=value") with every request. */
    ConsoleHttp withCookie(String cookie) {
        return new ConsoleHttp(base, cookie);
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    Reply send(HttpRequest.Builder request) {
        try {
            if (cookie != null) {
                request.header("Cookie", cookie);
            }
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
                r.headers().firstValue("Set-Cookie").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Logs {@code user} in and returns this client carrying the session cookie the console answered with. */
    ConsoleHttp logIn(String user, String password) {
        Reply login = post("/api/login", "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}");
        org.assertj.core.api.Assertions.assertThat(login.status()).as(login.text()).isEqualTo(200);
        return withCookie(login.setCookie().substring(0, login.setCookie().indexOf(';')));
    }

    /** The names of the non-internal topics this client's user is shown. */
    List<String> topicNames() {
        Reply reply = get("/api/topics");
        org.assertj.core.api.Assertions.assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (JsonNode row : reply.json()) {
            if (!row.get("internal").asBoolean()) {
                names.add(row.get("name").asText());
            }
        }
        return names;
    }

    /** A refusal: its status, JSON content, Kafka or console error name, and a message with no stack trace. */
    static void assertProblem(Reply reply, int status, String error, String messagePart) {
        org.assertj.core.api.Assertions.assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        org.assertj.core.api.Assertions.assertThat(reply.contentType()).startsWith("application/json");
        JsonNode body = reply.json();
        org.assertj.core.api.Assertions.assertThat(body.get("error").asText()).as(reply.text()).isEqualTo(error);
        org.assertj.core.api.Assertions.assertThat(body.get("message").asText()).contains(messagePart)
            .doesNotContain("\tat ").doesNotContain("Exception:");
    }
}
