package io.tributary.clients.network;

import io.tributary.protocol.Node;
import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.errors.NetworkException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.UnsupportedVersionException;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.metadata.ApiVersionsRequest;
import io.tributary.protocol.message.metadata.ApiVersionsResponse;
import io.tributary.protocol.message.metadata.MetadataRequest;
import io.tributary.protocol.message.metadata.MetadataResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The network client against a real broker, a refused port and a silent server. */
class NetworkClientTest {
    private static BrokerFixture broker;

    @BeforeAll
    static void startBroker() {
        broker = new BrokerFixture();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static ClientConfig config(String bootstrap, Map<String, Object> more) {
        Map<String, Object> values = new java.util.HashMap<>(more);
        values.put("bootstrap.servers", bootstrap);
        return ClientConfig.parse(CommonClientConfigs.definition(), values);
    }

    private static Node brokerNode() {
        return new Node(-1, "127.0.0.1", broker.port());
    }

    private static Struct allTopicsMetadata() {
        return MetadataRequest.SCHEMA.newStruct().set(MetadataRequest.TOPICS, null);
    }

    @Test
    void negotiatesTheHighestCommonVersionAndAnswersInOrder() throws Exception {
        try (NetworkClient client = new NetworkClient(config(broker.bootstrap(), Map.of()), "test-order")) {
            ClientResponse first = client.send(brokerNode(), ApiKey.METADATA, v -> allTopicsMetadata()).get(10, TimeUnit.SECONDS);
            assertThat(first.version()).isEqualTo(ApiKey.METADATA.maxVersion());
            assertThat(first.body().get(MetadataResponse.BROKERS)).hasSize(1);
            assertThat(client.isReady(brokerNode())).isTrue();

            // A caller's narrower range wins.
            ClientResponse old = client.send(brokerNode(), ClientRequest.of(ApiKey.METADATA, allTopicsMetadata()).withVersions(4, 8))
                .get(10, TimeUnit.SECONDS);
            assertThat(old.version()).isEqualTo((short) 8);

            // 200 requests over 5 in flight: every one answered, completions in submission order.
            ConcurrentLinkedQueue<Integer> completions = new ConcurrentLinkedQueue<>();
            List<CompletableFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(client.send(brokerNode(), ApiKey.API_VERSIONS, ApiVersionsRequest.SCHEMA.newStruct()
                        .set(ApiVersionsRequest.CLIENT_SOFTWARE_NAME, "t").set(ApiVersionsRequest.CLIENT_SOFTWARE_VERSION, "1"))
                    .thenAccept(body -> {
                        assertThat(body.get(ApiVersionsResponse.API_KEYS)).isNotEmpty();
                        completions.add(n);
                    }));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertThat(new ArrayList<>(completions)).isSorted().hasSize(200);
        }
    }

    @Test
    void refusedConnectionFailsFastNamingHostAndPort() throws Exception {
        int port = unusedPort();
        try (NetworkClient client = new NetworkClient(config("127.0.0.1:" + port, Map.of()), "test-refused")) {
            long start = System.nanoTime();
            CompletableFuture<Struct> f = client.send(new Node(-1, "127.0.0.1", port), ApiKey.METADATA, allTopicsMetadata());
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("Connection refused");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        }
    }

    @Test
    void silentBrokerTimesOutAndUnsupportedVersionsAreNamed() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             NetworkClient client = new NetworkClient(config("127.0.0.1:" + silent.getLocalPort(),
                 Map.of("request.timeout.ms", 300)), "test-silent")) {
            Thread acceptor = new Thread(() -> {
                try (Socket accepted = silent.accept()) {
                    accepted.getInputStream().readAllBytes();   // read and never answer
                } catch (IOException ignored) {
                    // the test closes the socket
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            CompletableFuture<Struct> f = client.send(new Node(-1, "127.0.0.1", silent.getLocalPort()), ApiKey.METADATA,
                allTopicsMetadata());
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfAny(TimeoutException.class, NetworkException.class)
                .hasMessageContaining("not answered within 300 ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 5_000L);
        }
        try (NetworkClient client = new NetworkClient(config(broker.bootstrap(), Map.of()), "test-unsupported")) {
            // The broker serves Metadata 0-13; a caller able to build only a version it lacks is told so.
            ClientRequest impossible = new ClientRequest(ApiKey.METADATA, (short) 13, (short) 13, v -> allTopicsMetadata(), true);
            client.send(brokerNode(), impossible).get(10, TimeUnit.SECONDS);   // 13 exists: fine
            assertThat(client.inFlightCount(brokerNode())).isZero();
            CompletableFuture<ClientResponse> bad = client.send(brokerNode(), ClientRequest.of(ApiKey.METADATA, v -> {
                throw new UnsupportedVersionException("builder refuses v" + v);
            }));
            assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).cause().hasMessage("builder refuses v13");
            // The connection survives a body that could not be built.
            assertThat(client.send(brokerNode(), ApiKey.METADATA, allTopicsMetadata()).get(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void tasksRunOnTheIoThreadAndCloseFailsPendingRequests() throws Exception {
        NetworkClient client = new NetworkClient(config(broker.bootstrap(), Map.of()), "test-close");
        CompletableFuture<Boolean> onIo = new CompletableFuture<>();
        client.execute(() -> onIo.complete(client.inIoThread()));
        assertThat(onIo.get(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Long> scheduled = new CompletableFuture<>();
        long start = System.nanoTime();
        client.schedule(50, () -> scheduled.complete(System.nanoTime() - start));
        ScheduledTask cancelled = client.schedule(10, () -> scheduled.completeExceptionally(new AssertionError("ran")));
        cancelled.cancel();
        assertThat(TimeUnit.NANOSECONDS.toMillis(scheduled.get(5, TimeUnit.SECONDS))).isGreaterThanOrEqualTo(49);
        client.close();
        CompletableFuture<Struct> after = client.send(brokerNode(), ApiKey.METADATA, allTopicsMetadata());
        assertThatThrownBy(() -> after.get(5, TimeUnit.SECONDS)).cause().hasMessageContaining("closed");
    }

    static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
