package io.tributary.ops.webconsole;

import io.tributary.console.BrokerStats;
import io.tributary.console.ConsoleServer;
import io.tributary.console.ConsoleSettings;
import io.tributary.console.http.HttpAnswer;
import io.tributary.console.http.PlainRoutes;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.Broker;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.extension.BrokerExtension;
import io.tributary.server.metrics.MetricsEndpoint;
import io.tributary.server.metrics.TopicTraffic;
import io.tributary.server.security.SecurityProtocol;

import java.net.InetSocketAddress;
import java.util.OptionalLong;

/**
 * Starts the web console inside the broker ({@code console.listener}, {@code console.read.only}): by default on
 * the metrics listener, where the console's HTTP server then also answers /metrics and /health with the
 * endpoint's own answers; on an address of its own when console.listener names one; not at all when it is
 * {@code off} or when there is no metrics listener to share. The console talks to the broker over one of the
 * broker's PLAINTEXT listeners, like any client ({@link #consoleBootstrap}), and reads the broker's traffic counters
 * and partition sizes directly. When a listener requires SASL, the console asks for a login and checks it against
 * the broker's own SASL users ({@link BrokerLogin}); a logged-in user's requests then go to the broker through clients
 * authenticated as that user on a SASL listener (SASL_SSL trusting the broker's own certificate: {@link OwnListenerTls}),
 * so the broker's ACLs decide what the user sees and does.
 */
public final class ConsoleExtension implements BrokerExtension {
    @Override
    public boolean takesMetricsListener(Broker broker) {
        ServerConfig config = broker.config();
        return config.get(ServerConfig.CONSOLE_LISTENER).isEmpty() && config.metricsListener() != null;
    }

    @Override
    public Running start(Broker broker, MetricsRoutes metrics) {
        ServerConfig config = broker.config();
        String value = config.get(ServerConfig.CONSOLE_LISTENER);
        if (value.equals("off") || value.isEmpty() && metrics == null) {
            return new Stopped();
        }
        ServerConfig.Listener at = metrics != null ? config.metricsListener() : config.consoleListener();
        PlainRoutes routes = metrics == null ? null : (method, path) -> {
            MetricsEndpoint.Answer a = metrics.answer(method, path);
            if (a == null) {
                return null;
            }
            HttpAnswer answer = HttpAnswer.text(a.status(), a.contentType(), method.equals("HEAD") ? "" : a.body());
            return a.allow() == null ? answer : answer.withHeader("Allow", a.allow());
        };
        String name = metrics != null ? ServerConfig.METRICS_LISTENER : ServerConfig.CONSOLE_LISTENER;
        boolean readOnly = config.getBoolean(ServerConfig.CONSOLE_READ_ONLY);
        String bootstrap = consoleBootstrap(config.endpoints(), broker.boundAddresses());
        ConsoleSettings settings = bootstrap != null
            ? ConsoleSettings.standalone(bootstrap, at.host(), at.port(), readOnly)
            : ConsoleSettings.unavailable("The broker has no PLAINTEXT listener for the console's own clients, and no"
                + " SASL listener on which this user's clients could authenticate"
                + " (listeners: " + config.endpoints() + "). Add one on the loopback address for the console, for example"
                + " listeners=...,CONSOLE://127.0.0.1:9093 with listener.security.protocol.map=...,CONSOLE:PLAINTEXT",
                at.host(), at.port(), readOnly);
        settings = settings.inBroker(new Stats(broker), routes, name);
        // The login also gives each logged-in user clients of their own on a SASL listener (BrokerLogin).
        settings = BrokerLogin.of(config, broker.boundAddresses()).map(settings::withLogin).orElse(settings);
        ConsoleServer server;
        try {
            server = ConsoleServer.start(settings);
        } catch (java.io.UncheckedIOException e) {
            if (metrics != null) {
                // The same words as the broker's own endpoint: operators (and scripts) know this message.
                throw new java.io.UncheckedIOException("Cannot bind the metrics endpoint to " + at.host() + ":" + at.port()
                    + " (metrics.listener): " + e.getCause().getMessage() + " (that port also serves the web console)", e.getCause());
            }
            throw e;
        }
        return new Running() {
            @Override
            public InetSocketAddress address() {
                return server.address();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /**
     * Where the console's clients reach this broker: a PLAINTEXT listener (the clients have neither TLS nor SASL),
     * one on a loopback address first, then the first; a wildcard bind is reached on 127.0.0.1. Null when no
     * listener is PLAINTEXT. {@code bound} holds the bound addresses in the order of {@code endpoints}.
     */
    static String consoleBootstrap(java.util.List<ServerConfig.Endpoint> endpoints, java.util.List<InetSocketAddress> bound) {
        InetSocketAddress chosen = null;
        for (int i = 0; i < endpoints.size() && i < bound.size(); i++) {
            if (endpoints.get(i).protocol() != SecurityProtocol.PLAINTEXT) {
                continue;
            }
            InetSocketAddress a = bound.get(i);
            if (a.getAddress().isLoopbackAddress()) {
                chosen = a;
                break;
            }
            if (chosen == null) {
                chosen = a;
            }
        }
        return chosen == null ? null : hostPort(chosen);
    }

    /** How a client on this machine reaches a bound address: a wildcard bind on 127.0.0.1, IPv6 in brackets. */
    static String hostPort(InetSocketAddress bound) {
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
    }

    /** The broker's counters and sizes, read in place. */
    record Stats(Broker broker) implements BrokerStats {
        @Override
        public TrafficTotals traffic() {
            long[] t = broker.metrics().traffic().totals();
            return new TrafficTotals(t[1], t[0], t[3], t[2]);
        }

        @Override
        public java.util.Optional<TrafficTotals> topicTraffic(String topic) {
            TopicTraffic.Meters m = broker.metrics().traffic().of(topic);
            return java.util.Optional.of(new TrafficTotals((long) m.recordsIn().count(), (long) m.bytesIn().count(),
                (long) m.recordsOut().count(), (long) m.bytesOut().count()));
        }

        @Override
        public OptionalLong partitionSize(String topic, int partition) {
            PartitionLog log = broker.logs().log(new TopicPartition(topic, partition));
            return log == null ? OptionalLong.empty() : OptionalLong.of(log.sizeInBytes());
        }
    }

    private static final class Stopped implements Running {
        @Override
        public InetSocketAddress address() {
            return null;
        }

        @Override
        public void close() {
        }
    }
}
