package io.tributary.server.replica;

import io.tributary.log.PartitionLog;
import io.tributary.log.segment.LogSegment;
import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.Broker;
import io.tributary.server.BrokerFixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Several brokers in this JVM (each a {@link BrokerFixture} on an ephemeral port, node ids 1..n) with a test double
 * that plays the controller: it keeps every partition's {@link PartitionAssignment}, hands them to each live broker's
 * {@link ReplicaManager} (on one thread, in order, as the metadata would), and implements {@link IsrChangeChannel}
 * (with Kafka's AlterPartition epoch checks: the current leader, leader epoch and partition epoch, else refused) and
 * {@link BrokerDirectory} (a stopped broker has no endpoint) in memory.
 */
final class InProcessCluster implements AutoCloseable {
    private final Map<Integer, BrokerFixture> brokers = new LinkedHashMap<>();
    private final Map<Integer, Boolean> running = new java.util.concurrent.ConcurrentHashMap<>();
    private final Controller controller = new Controller();

    InProcessCluster(int size, Map<String, String> settings) {
        try {
            for (int id = 1; id <= size; id++) {
                Map<String, String> config = new HashMap<>(settings);
                config.put("node.id", Integer.toString(id));
                BrokerFixture fixture = new BrokerFixture(config);
                brokers.put(id, fixture);
                running.put(id, true);
                fixture.broker().replicaManager().connect(controller, controller);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    Broker broker(int id) {
        return brokers.get(id).broker();
    }

    BrokerFixture fixture(int id) {
        return brokers.get(id);
    }

    Controller controller() {
        return controller;
    }

    PartitionLog log(int brokerId, TopicPartition tp) {
        return broker(brokerId).logs().log(tp);
    }

    /** Creates the topic's logs on every broker, then assigns each partition the given replicas, the first leading. */
    void createTopic(String name, int partitions, List<Integer> replicas, Map<String, String> configs) {
        for (int id : brokers.keySet()) {
            if (running.get(id)) {
                broker(id).logs().createTopic(name, partitions, configs);
            }
        }
        UUID topicId = broker(replicas.get(0)).logs().topic(name).topicId();
        List<PartitionAssignment> assignments = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignments.add(new PartitionAssignment(new TopicPartition(name, p), topicId, replicas.get(0), 0, 0, replicas, replicas));
        }
        controller.assign(assignments);
    }

    /** Closes the broker (clean shutdown); its data stays for {@link #start}. */
    void stop(int id) {
        running.put(id, false);
        broker(id).close();
    }

    /** Starts a stopped broker on its data and port, connects it and hands it every current assignment. */
    void start(int id) {
        BrokerFixture fixture = brokers.get(id);
        fixture.start();
        fixture.broker().replicaManager().connect(controller, controller);
        running.put(id, true);
        controller.catchUp(id);
    }

    /** The bytes of every segment file of the partition on a broker, concatenated in offset order. */
    byte[] logBytes(int brokerId, TopicPartition tp) {
        PartitionLog partitionLog = log(brokerId, tp);
        try (var out = new java.io.ByteArrayOutputStream()) {
            for (LogSegment segment : partitionLog.segments()) {
                out.write(Files.readAllBytes(segment.logFile()));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        controller.close();
        for (BrokerFixture fixture : brokers.values()) {
            try {
                fixture.close();
            } catch (RuntimeException ignored) {
                // the others still close
            }
        }
    }

    /** The controller double. */
    final class Controller implements IsrChangeChannel, BrokerDirectory {
        private final Map<TopicPartition, PartitionAssignment> assignments = new LinkedHashMap<>();
        private final ExecutorService metadata = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "test-metadata");
            thread.setDaemon(true);
            return thread;
        });
        private int isrChanges;
        private int refuseNext;

        synchronized PartitionAssignment assignment(TopicPartition tp) {
            return assignments.get(tp);
        }

        synchronized int acceptedIsrChanges() {
            return isrChanges;
        }

        /** The next {@code count} ISR changes are refused, as a controller refuses one naming a stale partition epoch. */
        synchronized void refuseNextIsrChanges(int count) {
            refuseNext = count;
        }

        /** Records the assignments and hands them to every running broker (on the metadata thread, in order). */
        synchronized void assign(List<PartitionAssignment> next) {
            for (PartitionAssignment assignment : next) {
                assignments.put(assignment.partition(), assignment);
            }
            publish(next);
        }

        /** A new leader (which must be in the ISR unless {@code isr} says otherwise) at leader epoch + 1. */
        synchronized void elect(TopicPartition tp, int leader, List<Integer> isr) {
            PartitionAssignment current = assignments.get(tp);
            assign(List.of(new PartitionAssignment(tp, current.topicId(), leader, current.leaderEpoch() + 1,
                current.partitionEpoch() + 1, current.replicas(), isr)));
        }

        /**
         * As {@link #elect}, handed to the brokers {@code first} only: the others learn of it at their
         * {@link #catchUp}, as a broker applies a metadata record later than another.
         */
        synchronized void electSeenFirstBy(TopicPartition tp, int leader, List<Integer> isr, List<Integer> first) {
            PartitionAssignment current = assignments.get(tp);
            PartitionAssignment next = new PartitionAssignment(tp, current.topicId(), leader, current.leaderEpoch() + 1,
                current.partitionEpoch() + 1, current.replicas(), isr);
            assignments.put(tp, next);
            for (int id : first) {
                ReplicaManager target = broker(id).replicaManager();
                awaitMetadata(metadata.submit(() -> target.apply(List.of(next), List.of())));
            }
        }

        synchronized void catchUp(int brokerId) {
            List<PartitionAssignment> all = List.copyOf(assignments.values());
            awaitMetadata(metadata.submit(() -> broker(brokerId).replicaManager().apply(all, List.of())));
        }

        private void publish(List<PartitionAssignment> changed) {
            List<PartitionAssignment> copy = List.copyOf(changed);
            for (int id : brokers.keySet()) {
                if (running.get(id)) {
                    ReplicaManager target = broker(id).replicaManager();
                    metadata.execute(() -> target.apply(copy, List.of()));
                }
            }
        }

        @Override
        public synchronized CompletionStage<PartitionAssignment> alterIsr(TopicPartition partition, int leaderId, int leaderEpoch,
                                                                          int partitionEpoch, List<Integer> proposedIsr) {
            PartitionAssignment current = assignments.get(partition);
            if (refuseNext > 0) {
                refuseNext--;
                return CompletableFuture.failedFuture(new IllegalStateException("refused by the test: ISR change of " + partition));
            }
            if (current == null || current.leader() != leaderId || current.leaderEpoch() != leaderEpoch
                || current.partitionEpoch() != partitionEpoch) {
                return CompletableFuture.failedFuture(new IllegalStateException("stale ISR change of " + partition + " by "
                    + leaderId + " at " + leaderEpoch + "/" + partitionEpoch + "; current " + current));
            }
            PartitionAssignment next = new PartitionAssignment(partition, current.topicId(), leaderId, leaderEpoch,
                partitionEpoch + 1, current.replicas(), proposedIsr);
            isrChanges++;
            assign(List.of(next));
            return CompletableFuture.completedFuture(next);
        }

        @Override
        public synchronized Optional<Node> endpoint(int brokerId, String listenerName) {
            return interBrokerEndpoint(brokerId);
        }

        @Override
        public synchronized Optional<Node> interBrokerEndpoint(int brokerId) {
            BrokerFixture fixture = brokers.get(brokerId);
            if (fixture == null || !running.getOrDefault(brokerId, false)) {
                return Optional.empty();
            }
            return Optional.of(new Node(brokerId, "127.0.0.1", fixture.port(), null));
        }

        private void awaitMetadata(java.util.concurrent.Future<?> applied) {
            try {
                applied.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("assignments were not applied", e);
            }
        }

        void close() {
            metadata.shutdownNow();
        }
    }
}
