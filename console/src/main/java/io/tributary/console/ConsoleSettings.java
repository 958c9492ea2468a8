package io.tributary.console;

import io.tributary.console.auth.Login;
import io.tributary.console.http.PlainRoutes;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything one console needs, validated once: which cluster to talk to, where to listen, whether writes are
 * allowed, who may log in, where exchange bindings are published, and, inside a broker, the broker's counters
 * and the broker's own HTTP routes (/metrics, /health) to serve on the same port.
 *
 * @param bootstrapServers host:port[,host:port...] of the cluster the console's clients contact; blank only when
 *                         {@code unavailable} says why there is none
 * @param host             address to bind (127.0.0.1 by default)
 * @param port             port to bind, 0 for any free port
 * @param readOnly         hide and refuse every write action (create, delete, produce, alter, reset, re-drive)
 * @param clientOverrides  extra client settings (timeouts) for the admin, producer and consumers
 * @param brokerStats      the hosting broker's counters, or null standalone
 * @param extraRoutes      other GET routes served on the same port (the broker's /metrics), or null
 * @param listenerName     how bind errors name the address ("console.listener", "--listener")
 * @param sampleIntervalMs how often the traffic and lag charts get a point (5 s; tests use less)
 * @param login            who may use the console, or null for no login (then anyone who reaches the port may)
 * @param bindingsFiles    RoutingProducer bindings files to show on the routing page (read at each view)
 * @param unavailable      why the console cannot reach the cluster (a broker without a listener its clients can
 *                         use), answered to every API call but /api/info; null when it can
 */
public record ConsoleSettings(String bootstrapServers, String host, int port, boolean readOnly,
                              Map<String, Object> clientOverrides, BrokerStats brokerStats, PlainRoutes extraRoutes,
                              String listenerName, long sampleIntervalMs, Login login, List<Path> bindingsFiles,
                              String unavailable) {
    public static final long DEFAULT_SAMPLE_INTERVAL_MS = 5_000;

    public ConsoleSettings {
        if ((bootstrapServers == null || bootstrapServers.isBlank()) && unavailable == null) {
            throw new IllegalArgumentException("The console needs bootstrap servers (host:port), got '" + bootstrapServers + "'");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("The console needs a host to bind, got '" + host + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Console port " + port + " is not in 0..65535");
        }
        clientOverrides = Map.copyOf(clientOverrides);
        listenerName = listenerName == null ? "console listener" : listenerName;
        if (sampleIntervalMs < 100 || sampleIntervalMs > 60_000) {
            throw new IllegalArgumentException("Console sample interval " + sampleIntervalMs + " ms is not in 100..60000");
        }
        bindingsFiles = List.copyOf(bindingsFiles);
    }

    /** A standalone console: no broker counters, no extra routes, no login. */
    public static ConsoleSettings standalone(String bootstrapServers, String host, int port, boolean readOnly) {
        return new ConsoleSettings(bootstrapServers, host, port, readOnly, Map.of(), null, null, "--listener",
            DEFAULT_SAMPLE_INTERVAL_MS, null, List.of(), null);
    }

    /** The same console inside a broker: its counters, and its /metrics and /health on the same port. */
    public ConsoleSettings inBroker(BrokerStats stats, PlainRoutes routes, String listenerName) {
        return new ConsoleSettings(bootstrapServers, host, port, readOnly, clientOverrides, stats, routes, listenerName,
            sampleIntervalMs, login, bindingsFiles, unavailable);
    }

    public ConsoleSettings withSampleInterval(long ms) {
        return new ConsoleSettings(bootstrapServers, host, port, readOnly, clientOverrides, brokerStats, extraRoutes,
            listenerName, ms, login, bindingsFiles, unavailable);
    }

    /** The same console asking for a login first. */
    public ConsoleSettings withLogin(Login login) {
        return new ConsoleSettings(bootstrapServers, host, port, readOnly, clientOverrides, brokerStats, extraRoutes,
            listenerName, sampleIntervalMs, login, bindingsFiles, unavailable);
    }

    /** The same console with extra client settings (security.protocol, ssl.*, sasl.* of a secured cluster). */
    public ConsoleSettings withClientOverrides(Map<String, ?> overrides) {
        Map<String, Object> merged = new java.util.HashMap<>(clientOverrides);
        merged.putAll(overrides);
        return new ConsoleSettings(bootstrapServers, host, port, readOnly, merged, brokerStats, extraRoutes,
            listenerName, sampleIntervalMs, login, bindingsFiles, unavailable);
    }

    public ConsoleSettings withBindingsFiles(List<Path> files) {
        return new ConsoleSettings(bootstrapServers, host, port, readOnly, clientOverrides, brokerStats, extraRoutes,
            listenerName, sampleIntervalMs, login, files, unavailable);
    }

    /** A console that serves its pages but cannot reach the cluster, saying why on every API call. */
    public static ConsoleSettings unavailable(String reason, String host, int port, boolean readOnly) {
        return new ConsoleSettings("", host, port, readOnly, Map.of(), null, null, "--listener",
            DEFAULT_SAMPLE_INTERVAL_MS, null, List.of(), reason);
    }
}
