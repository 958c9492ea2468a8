package io.tributary.console.http;

/**
 * Routes someone else answers on the console's port: inside a broker, its /metrics and /health. Called on a
 * console worker thread, never on the event loop, so an answer may take time (a scrape asks for group lag).
 */
@FunctionalInterface
public interface PlainRoutes {
    /** The answer to {@code method path}, or null when the path is not one of these routes. */
    HttpAnswer answer(String method, String path);
}
