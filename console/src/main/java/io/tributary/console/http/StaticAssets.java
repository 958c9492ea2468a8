package io.tributary.console.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser side, read from this jar: the console's own pages under {@code /static/} (plain ES modules, no
 * build step) and WebJars under {@code /webjars/} (META-INF/resources/webjars in their jars). Files are read
 * once and kept: they never change while the jar is loaded. Paths with ".." or a backslash are refused, so a
 * request cannot reach other resources of the class path.
 */
public final class StaticAssets {
    private static final String OWN = "io/tributary/console/static/";
    private static final String WEBJARS = "META-INF/resources/webjars/";
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
        "svg", "image/svg+xml", "png", "image/png", "json", "application/json; charset=utf-8", "ico", "image/x-icon");

    private final Map<String, HttpAnswer> cache = new ConcurrentHashMap<>();

    /** The asset for a request path, or null when there is none. */
    public HttpAnswer answer(String path) {
        String resource;
        if (path.equals("/") || path.equals("/index.html")) {
            resource = OWN + "index.html";
        } else if (path.startsWith("/static/")) {
            resource = OWN + path.substring("/static/".length());
        } else if (path.startsWith("/webjars/")) {
            resource = WEBJARS + path.substring("/webjars/".length());
        } else {
            return null;
        }
        if (resource.contains("..") || resource.contains("\\") || resource.endsWith("/")) {
            return null;
        }
        HttpAnswer cached = cache.get(resource);
        if (cached != null) {
            return cached;
        }
        HttpAnswer loaded = load(resource);
        if (loaded != null) {
            cache.putIfAbsent(resource, loaded);
        }
        return loaded;
    }

    private static HttpAnswer load(String resource) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            String ext = resource.substring(resource.lastIndexOf('.') + 1);
            // index.html must be re-read after an upgrade; the rest are small and change with it.
            return HttpAnswer.of(200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes())
                .withHeader("Cache-Control", "no-cache");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource + " from the console's jar", e);
        }
    }
}
