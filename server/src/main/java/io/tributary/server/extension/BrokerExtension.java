package io.tributary.server.extension;

import io.tributary.server.Broker;
import io.tributary.server.metrics.MetricsEndpoint;

import java.net.InetSocketAddress;

/**
 * Something that starts with the broker from outside this module, found with {@link java.util.ServiceLoader}
 * (META-INF/services/io.tributary.server.extension.BrokerExtension): the web console, which the ops module plugs
 * in, since the server cannot depend on the console's clients (their tests depend on the server).
 *
 * <p>An extension may take over the metrics listener: then the broker does not start its own
 * {@link MetricsEndpoint} and the extension serves /metrics and /health on that port with the answers it is given,
 * so one port serves both. Extensions start after the broker listens and stop before anything else does.
 */
public interface BrokerExtension {
    /** Whether, under this broker's config, this extension serves metrics.listener itself. */
    boolean takesMetricsListener(Broker broker);

    /**
     * Starts the extension; {@code metrics} answers /metrics and /health (non-null when it took the listener).
     *
     * @throws RuntimeException naming the address when it cannot bind; the broker then does not start
     */
    Running start(Broker broker, MetricsRoutes metrics);

    /** The endpoint's answers, for an extension that serves the metrics listener. */
    @FunctionalInterface
    interface MetricsRoutes {
        /** The answer to {@code method path}, or null when the path is not /metrics or /health*. */
        MetricsEndpoint.Answer answer(String method, String path);
    }

    /** A started extension. */
    interface Running extends AutoCloseable {
        /** Where it serves HTTP (the metrics listener's address when it took it), or null. */
        InetSocketAddress address();

        @Override
        void close();
    }
}
