package io.tributary.server.replica;

import io.tributary.log.PartitionLog;
import io.tributary.log.checkpoint.OffsetCheckpointFile;
import io.tributary.protocol.TopicPartition;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The high watermarks of the replicated partitions, one {@value #FILE_NAME} per log directory in Kafka's checkpoint
 * format ({@link OffsetCheckpointFile}: version, count, then "topic partition offset" lines), rewritten whole through
 * the crash-safe writer. A replica that restarts starts from its checkpointed high watermark (capped by its log end),
 * not from its log end offset, so it never tells consumers about records the ISR did not hold.
 */
final class HighWatermarkCheckpoints {
    static final String FILE_NAME = "replication-offset-checkpoint";

    private final Map<TopicPartition, Long> restored = new HashMap<>();

    HighWatermarkCheckpoints(List<Path> logDirs) {
        for (Path dir : logDirs) {
            restored.putAll(new OffsetCheckpointFile(dir.resolve(FILE_NAME)).read());
        }
    }

    /** The high watermark checkpointed for a partition before this start; 0 when none was. */
    long restored(TopicPartition partition) {
        return restored.getOrDefault(partition, 0L);
    }

    /** Writes every partition's high watermark into its log directory's file; directories without one get an empty file. */
    void write(Collection<ReplicatedPartition> partitions, List<Path> logDirs) {
        Map<Path, Map<TopicPartition, Long>> byDir = new HashMap<>();
        for (Path dir : logDirs) {
            byDir.put(dir.toAbsolutePath().normalize(), new HashMap<>());
        }
        for (ReplicatedPartition partition : partitions) {
            PartitionLog log = partition.log;
            Path dir = log.dir().toAbsolutePath().normalize().getParent();
            byDir.computeIfAbsent(dir, d -> new HashMap<>()).put(partition.topicPartition, partition.highWatermark());
        }
        byDir.forEach((dir, offsets) -> new OffsetCheckpointFile(dir.resolve(FILE_NAME)).write(offsets));
    }
}
