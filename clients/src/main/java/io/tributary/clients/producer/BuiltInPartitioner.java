package io.tributary.clients.producer;

import io.tributary.clients.metadata.Cluster;
import io.tributary.clients.metadata.PartitionMetadata;
import io.tributary.clients.metadata.TopicMetadata;
import io.tributary.protocol.routing.Murmur2;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kafka's default placement, byte for byte for keyed records: {@code toPositive(murmur2(keyBytes)) % count}
 * over all partitions (available or not, so a key's partition never depends on broker health).
 *
 * <p>Keyless records (and all records with {@code partitioner.ignore.keys}) are "sticky" (KIP-480/794): each
 * topic has a current partition that receives records until {@code batch.size} bytes have gone to it, then
 * another is chosen at random among those with a leader, so batches fill up instead of spreading every record.
 * The switch is approximate under concurrent senders (a few records may land after the limit), which only
 * changes batch sizes, never correctness.
 */
public final class BuiltInPartitioner {
    private final int stickyBytes;
    private final boolean ignoreKeys;
    private final ConcurrentHashMap<String, Sticky> sticky = new ConcurrentHashMap<>();

    public BuiltInPartitioner(int batchSize, boolean ignoreKeys) {
        this.stickyBytes = Math.max(1, batchSize);
        this.ignoreKeys = ignoreKeys;
    }

    /** Kafka's placement of a keyed record. */
    public static int partitionForKey(byte[] keyBytes, int partitionCount) {
        return Murmur2.toPositive(Murmur2.hash(keyBytes)) % partitionCount;
    }

    /**
     * The partition for a record of {@code sizeInBytes} with {@code keyBytes} (null for none) in a topic
     * that {@code cluster} has available.
     */
    public int partition(String topic, byte[] keyBytes, int sizeInBytes, Cluster cluster) {
        int count = cluster.partitionCount(topic);
        if (keyBytes != null && !ignoreKeys) {
            return partitionForKey(keyBytes, count);
        }
        return sticky.computeIfAbsent(topic, t -> new Sticky()).next(topic, sizeInBytes, cluster, count);
    }

    /** One topic's sticky partition and the bytes it has received. */
    private final class Sticky {
        private int partition = -1;
        private long bytes;

        synchronized int next(String topic, int size, Cluster cluster, int count) {
            if (partition < 0 || partition >= count || bytes >= stickyBytes) {
                partition = choose(topic, cluster, count, partition);
                bytes = 0;
            }
            bytes += size;
            return partition;
        }
    }

    /** A random partition with a leader, other than {@code previous} when there is a choice. */
    private static int choose(String topic, Cluster cluster, int count, int previous) {
        TopicMetadata t = cluster.topic(topic);
        int[] candidates = new int[count];
        int n = 0;
        for (PartitionMetadata p : t.partitions()) {
            if (p.hasLeader() && p.partition().partition() != previous) {
                candidates[n++] = p.partition().partition();
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (n == 0) {
            return count == 1 ? 0 : random.nextInt(count);
        }
        return candidates[random.nextInt(n)];
    }
}
