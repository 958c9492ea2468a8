package io.tributary.server;

import io.tributary.server.config.ServerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * An in-process broker for tests: 127.0.0.1 on an ephemeral port, data in a temporary directory that is
 * removed on close unless the test asked to keep it for a restart.
 */
public final class BrokerFixture implements AutoCloseable {
    private final Path dataDir;
    private final Map<String, String> settings;
    private Broker broker;

    public BrokerFixture(Map<String, String> overrides) {
        try {
            this.dataDir = Files.createTempDirectory("tributary-broker");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0");
        settings.put(ServerConfig.LOG_DIRS, dataDir.toString());
        settings.put(ServerConfig.NUM_NETWORK_THREADS, "2");
        // No HTTP endpoint unless a test asks for one (metrics.listener=127.0.0.1:0): brokers of parallel test
        // runs would all want the default port.
        settings.put(ServerConfig.METRICS_LISTENER, "");
        settings.putAll(overrides);
        start();
    }

    public BrokerFixture() {
        this(Map.of());
    }

    public void start() {
        try {
            broker = Broker.start(ServerConfig.of(settings));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        // A restart must come back on the same port so clients can reconnect.
        settings.put(ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:" + port());
    }

    /** Clean stop and start on the same directory and port. */
    public void restart() {
        broker.close();
        start();
    }

    public Broker broker() {
        return broker;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int port() {
        InetSocketAddress address = broker.boundAddresses().get(0);
        return address.getPort();
    }

    public String bootstrap() {
        return "127.0.0.1:" + port();
    }

    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return properties;
    }

    public Admin admin() {
        Properties properties = clientProperties();
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(properties);
    }

    /**
     * Makes the broker create {@code __consumer_offsets} the way a client does (it is created on the first FindCoordinator
     * for a group, not at start): an OffsetFetch of a group no one uses, through Kafka's Admin, which looks the
     * coordinator up and retries until it is available and loaded. Returns once the partitions led here are loaded.
     */
    public void awaitOffsetsTopic() {
        try (Admin admin = admin()) {
            admin.listConsumerGroupOffsets("offsets-topic-probe").partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            broker.offsetsTopicLoaded().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("__consumer_offsets was not created and loaded", e);
        }
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
