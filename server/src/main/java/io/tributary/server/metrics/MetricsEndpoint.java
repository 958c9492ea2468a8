package io.tributary.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The broker's HTTP endpoint ({@code metrics.listener}, default 127.0.0.1:9644):
 * <ul>
 *   <li>{@code GET /metrics}: every meter in Prometheus text format 0.0.4;</li>
 *   <li>{@code GET /health/live}: 200 while the broker runs (not yet stopping), 503 otherwise;</li>
 *   <li>{@code GET /health/ready}: 200 once the broker listens and has loaded the consumer groups, 503 before;</li>
 *   <li>{@code GET /health}: both as JSON, {@code {"live":true,"ready":true}}, with the status of readiness.</li>
 * </ul>
 * Other paths are 404, other methods 405. Design note: the JDK's HTTP server on one thread of its own, not
 * the broker's Netty loops, so a slow scrape (group lag asks the coordinator) never delays a Kafka request.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code host:port} (port 0: any free port) and starts serving.
     *
     * @throws UncheckedIOException when the address cannot be bound, naming it
     */
    public static MetricsEndpoint start(String host, int port, Supplier<String> scrape, BooleanSupplier live, BooleanSupplier ready) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the metrics endpoint to " + host + ":" + port + " (metrics.listener): "
                + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "metrics-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, scrape, live, ready));
        server.start();
        MetricsEndpoint endpoint = new MetricsEndpoint(server, executor);
        log.info("Metrics and health on http://{}:{}/metrics", host, endpoint.address().getPort());
        return endpoint;
    }

    /** One answer of the endpoint; {@code allow} is the Allow header of a 405, else null. */
    public record Answer(int status, String contentType, String body, String allow) {
    }

    /**
     * What the endpoint answers to {@code method path}: the same answers whoever serves the port (this JDK
     * server, or the web console sharing it), so both behave alike. Null for a path that is not one of these.
     */
    public static Answer answer(String method, String path, Supplier<String> scrape, BooleanSupplier live,
                                BooleanSupplier ready) {
        boolean known = path.equals("/metrics") || path.equals("/health") || path.startsWith("/health/")
            && (path.equals("/health/live") || path.equals("/health/ready"));
        if (!known) {
            return null;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return new Answer(405, "text/plain; charset=utf-8", method + " is not allowed; use GET\n", "GET, HEAD");
        }
        return switch (path) {
            case "/metrics" -> new Answer(200, PROMETHEUS_TEXT, scrape.get(), null);
            case "/health/live" -> status(live.getAsBoolean(), "live");
            case "/health/ready" -> status(ready.getAsBoolean(), "ready");
            default -> {
                boolean isLive = live.getAsBoolean();
                boolean isReady = isLive && ready.getAsBoolean();
                yield new Answer(isReady ? 200 : 503, "application/json", "{\"live\":" + isLive + ",\"ready\":" + isReady + "}\n", null);
            }
        };
    }

    private static void serve(HttpExchange exchange, Supplier<String> scrape, BooleanSupplier live, BooleanSupplier ready)
        throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Answer answer = answer(method, path, scrape, live, ready);
            if (answer == null && !method.equals("GET") && !method.equals("HEAD")) {
                answer = new Answer(405, "text/plain; charset=utf-8", method + " is not allowed; use GET\n", "GET, HEAD");
            }
            if (answer == null) {
                answer = new Answer(404, "text/plain; charset=utf-8",
                    "Not found: " + path + " (try /metrics, /health, /health/live, /health/ready)\n", null);
            }
            if (answer.allow() != null) {
                exchange.getResponseHeaders().set("Allow", answer.allow());
            }
            respond(exchange, answer.status(), answer.contentType(), answer.body());
        } catch (RuntimeException e) {
            log.warn("Metrics endpoint failed to answer {}", exchange.getRequestURI(), e);
        }
    }

    private static Answer status(boolean ok, String what) {
        return new Answer(ok ? 200 : 503, "text/plain; charset=utf-8", (ok ? what : "not " + what) + "\n", null);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The address bound (the real port when 0 was configured). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
