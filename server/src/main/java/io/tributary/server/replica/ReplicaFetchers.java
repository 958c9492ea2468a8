package io.tributary.server.replica;

import io.tributary.protocol.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This broker's follower fetcher threads: {@code num.replica.fetchers} per leader broker at most, started when a
 * partition is first followed there and stopped when the last one leaves. A partition always goes to the same
 * fetcher of its leader (Kafka's {@code (31 * topic.hashCode() + partition) mod num.replica.fetchers}), so its
 * fetches are never split over two connections.
 */
final class ReplicaFetchers {
    private record FetcherId(int leaderId, int index) {
    }

    private final ReplicationSettings settings;
    private final ReplicaManager manager;
    private final Map<FetcherId, ReplicaFetcher> fetchers = new HashMap<>();
    private final Map<TopicPartition, FetcherId> fetchedBy = new HashMap<>();
    private boolean closed;

    ReplicaFetchers(ReplicationSettings settings, ReplicaManager manager) {
        this.settings = settings;
        this.manager = manager;
    }

    /** Fetches the partition from {@code leaderId} at {@code leaderEpoch} from now on (instead of from wherever it did). */
    synchronized void follow(ReplicatedPartition partition, int leaderId, int leaderEpoch) {
        stop(partition.topicPartition);
        if (closed) {
            return;
        }
        TopicPartition tp = partition.topicPartition;
        FetcherId id = new FetcherId(leaderId, Math.floorMod(31 * tp.topic().hashCode() + tp.partition(), settings.numReplicaFetchers()));
        ReplicaFetcher fetcher = fetchers.computeIfAbsent(id, key -> {
            ReplicaFetcher started = new ReplicaFetcher("replica-fetcher-" + settings.brokerId() + "-from-" + key.leaderId() + "-"
                + key.index(), key.leaderId(), settings, manager);
            started.start();
            return started;
        });
        fetcher.add(partition, leaderEpoch);
        fetchedBy.put(tp, id);
    }

    /** Stops fetching the partition; once this returns, no fetcher appends to it. */
    synchronized void stop(TopicPartition partition) {
        FetcherId id = fetchedBy.remove(partition);
        if (id == null) {
            return;
        }
        ReplicaFetcher fetcher = fetchers.get(id);
        fetcher.remove(partition);
        if (fetcher.isIdle()) {
            fetchers.remove(id);
            fetcher.shutdown();
        }
    }

    /** Fetcher threads running now. */
    synchronized int count() {
        return fetchers.size();
    }

    /** {@link ReplicaFetcher#leaderBehindAnswers()} over the fetchers running now. */
    synchronized long leaderBehindAnswers() {
        return fetchers.values().stream().mapToLong(ReplicaFetcher::leaderBehindAnswers).sum();
    }

    /** Stops every fetcher and waits (bounded) for their threads. */
    void close() {
        List<ReplicaFetcher> stopping;
        synchronized (this) {
            closed = true;
            stopping = new ArrayList<>(fetchers.values());
            fetchers.clear();
            fetchedBy.clear();
        }
        stopping.forEach(ReplicaFetcher::shutdown);
        for (ReplicaFetcher fetcher : stopping) {
            try {
                fetcher.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
