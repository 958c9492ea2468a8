package io.tributary.bench.compare;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.ChannelState;
import org.apache.kafka.common.network.KafkaChannel;
import org.apache.kafka.common.network.NetworkReceive;
import org.apache.kafka.common.network.NetworkSend;
import org.apache.kafka.common.network.Selectable;
import org.apache.kafka.common.network.Selector;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * New connections, one after another, for a warm-up and then a measured time: each is opened with kafka-clients' own network layer
 * ({@link Selector} and the {@link ChannelBuilder} its clients build from their settings: TCP, then for SASL_SSL the
 * TLS handshake and the SASL exchange, which starts with an ApiVersions of its own), then asked one ApiVersions
 * (v3) and closed once it is answered. The figure is completed connections per second, and each one's time from
 * connect() to the ApiVersions answer. One connection at a time, so the client's work (for SCRAM it derives the salted
 * password anew, 4096 PBKDF2 iterations, every connection) is in the figure as much as the broker's, equally for
 * both brokers.
 */
final class HandshakeLoop {
    private static final short API_VERSIONS_VERSION = 3;
    private static final long CONNECTION_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * @param micros           connect() to the ApiVersions answer, per connection
     * @param brokerCpuSeconds the broker JVM's CPU over the measured connections, NaN without a meter
     */
    record Result(long connections, double seconds, Histogram micros, double brokerCpuSeconds) {
        double perSecond() {
            return seconds > 0 ? connections / seconds : 0;
        }

        /** The broker's CPU milliseconds per new connection: its side of the cost, apart from the client's. */
        double brokerCpuMillisPerConnection() {
            return connections > 0 ? brokerCpuSeconds * 1000 / connections : Double.NaN;
        }
    }

    private HandshakeLoop() {
    }

    /**
     * @param client the client settings (bootstrap.servers, security.protocol, ssl.*, sasl.*) the connections use
     * @param warmup connections in this first stretch are made but not counted (both JITs compile the handshake path)
     * @param max    stop after this many measured connections even if {@code duration} has not passed (closed
     *               connections wait in TIME_WAIT: a fast PLAINTEXT loop must not run out of ephemeral ports)
     * @param meter  the broker JVM's meter, or null
     */
    static Result run(Map<String, Object> client, InetSocketAddress broker, Duration warmup, Duration duration, int max,
                      ProcessMeter meter) throws IOException {
        AdminClientConfig config = new AdminClientConfig(client);
        ChannelBuilder channels = ClientUtils.createChannelBuilder(config, Time.SYSTEM, new LogContext());
        Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        long count = 0;
        try (Metrics metrics = new Metrics()) {
            Selector selector;
            try {
                selector = new Selector(60_000, metrics, Time.SYSTEM, "bench-handshake", channels, new LogContext());
            } catch (RuntimeException e) {
                channels.close();
                throw e;
            }
            try {
                long warmupEnd = System.nanoTime() + warmup.toNanos();
                int id = 0;
                while (System.nanoTime() - warmupEnd < 0) {
                    connectAndAsk(selector, "handshake-" + id, broker, id++);
                }
                double cpuBefore = meter == null ? Double.NaN : meter.cpuSeconds();
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                while (count < max && System.nanoTime() - end < 0) {
                    long began = System.nanoTime();
                    connectAndAsk(selector, "handshake-" + id, broker, id++);
                    micros.recordValue(Math.min(micros.getHighestTrackableValue(), TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - began)));
                    count++;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(count, seconds, micros, meter == null ? Double.NaN : meter.cpuSeconds() - cpuBefore);
            } finally {
                selector.close(); // and the channel builder with it
            }
        }
    }

    private static void connectAndAsk(Selector selector, String id, InetSocketAddress broker, int correlationId) throws IOException {
        long deadline = System.nanoTime() + CONNECTION_LIMIT_NANOS;
        selector.connect(id, broker, Selectable.USE_DEFAULT_BUFFER_SIZE, Selectable.USE_DEFAULT_BUFFER_SIZE);
        while (true) {
            KafkaChannel channel = selector.channel(id);
            if (channel != null && channel.ready()) {
                break;
            }
            poll(selector, id, deadline, "authenticated");
        }
        RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, API_VERSIONS_VERSION, "tributary-bench", correlationId);
        selector.send(new NetworkSend(id, new ApiVersionsRequest.Builder(API_VERSIONS_VERSION).build(API_VERSIONS_VERSION).toSend(header)));
        while (true) {
            for (NetworkReceive receive : selector.completedReceives()) {
                if (receive.source().equals(id)) {
                    ApiVersionsResponse response = (ApiVersionsResponse) AbstractResponse.parseResponse(receive.payload(), header);
                    if (response.data().errorCode() != 0) {
                        throw new IllegalStateException("ApiVersions on " + id + " answered error " + response.data().errorCode());
                    }
                    selector.close(id);
                    return;
                }
            }
            poll(selector, id, deadline, "answered");
        }
    }

    private static void poll(Selector selector, String id, long deadline, String waitingFor) throws IOException {
        selector.poll(100);
        ChannelState closed = selector.disconnected().get(id);
        if (closed != null) {
            throw new IllegalStateException("connection " + id + " closed before it was " + waitingFor + ": " + closed.state()
                + (closed.exception() == null ? "" : " (" + closed.exception().getMessage() + ")"));
        }
        if (System.nanoTime() - deadline > 0) {
            selector.close(id);
            throw new IllegalStateException("connection " + id + " not " + waitingFor + " within 30 s");
        }
    }
}
