package io.tributary.server.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.Node;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.replica.BrokerDirectory;
import io.tributary.server.replica.LeaderConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The transaction coordinator's requests to other brokers (WriteTxnMarkers to partition leaders; AddPartitionsToTxn from
 * a partition leader to the coordinator): one sender thread and one blocking connection ({@link LeaderConnection}, the
 * follower fetchers' code) per destination broker, on its inter-broker listener, so requests to one broker go in order
 * and a slow broker delays only its own. A connection that failed is dropped and opened again by the next request; the
 * failed request completes exceptionally ({@link Unreachable}) and its caller decides whether to retry.
 */
final class InterBrokerSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InterBrokerSender.class);
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** Above the leader's wait for its followers before it answers a marker (TxnMarkerWriter). */
    private static final int READ_TIMEOUT_MS = 60_000;

    /** The broker could not be reached or answered nothing readable. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String clientId;
    private final BrokerDirectory brokers;
    private final Map<Integer, Destination> destinations = new ConcurrentHashMap<>();
    private volatile boolean closed;

    InterBrokerSender(String clientId, BrokerDirectory brokers) {
        this.clientId = clientId;
        this.brokers = brokers;
    }

    /** Sends {@code body} to broker {@code brokerId} and completes with its answer (exceptionally when unreachable). */
    CompletableFuture<Struct> send(int brokerId, ApiKey api, short version, Struct body) {
        Optional<Node> endpoint = brokers.interBrokerEndpoint(brokerId);
        if (endpoint.isEmpty() || closed) {
            return CompletableFuture.failedFuture(new Unreachable("Broker " + brokerId + " is fenced or unknown", null));
        }
        Destination destination = destinations.computeIfAbsent(brokerId, Destination::new);
        CompletableFuture<Struct> answer = new CompletableFuture<>();
        try {
            destination.thread.execute(() -> {
                try {
                    answer.complete(destination.call(endpoint.get(), api, version, body));
                } catch (IOException | RuntimeException e) {
                    log.info("{} to broker {} failed: {}", api, endpoint.get(), e.toString());
                    destination.closeConnection();
                    answer.completeExceptionally(new Unreachable(api + " to broker " + brokerId + " failed", e));
                }
            });
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(new Unreachable("Stopping", e));
        }
        return answer;
    }

    /** One destination broker: its thread and its connection (touched only on that thread). */
    private final class Destination {
        final ExecutorService thread;
        LeaderConnection connection;

        Destination(int brokerId) {
            this.thread = Executors.newSingleThreadExecutor(runnable -> {
                Thread t = new Thread(runnable, clientId + "-to-" + brokerId);
                t.setDaemon(true);
                return t;
            });
        }

        Struct call(Node broker, ApiKey api, short version, Struct body) throws IOException {
            if (connection == null || connection.leader().port() != broker.port() || !connection.leader().host().equals(broker.host())) {
                closeConnection();
                connection = LeaderConnection.open(broker, clientId, CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
            }
            return connection.call(api, version, body);
        }

        void closeConnection() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Destination destination : destinations.values()) {
            destination.thread.shutdownNow();
            try {
                destination.thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            destination.closeConnection();
        }
    }
}
