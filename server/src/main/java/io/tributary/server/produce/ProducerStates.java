package io.tributary.server.produce;

import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicPartition;
import io.tributary.protocol.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The idempotent-producer state of every partition of the broker: one {@link ProducerStateTable} per
 * partition log, rebuilt for all existing logs when the broker starts (before it listens) and created on
 * first use for partitions made later.
 *
 * <p>A table belongs to one {@link PartitionLog} instance: when a topic is deleted and made again under the
 * same name, the new log gets a new table. At a clean stop every live partition's state is written as a
 * snapshot, so the next start reads snapshots instead of replaying the logs.
 */
public final class ProducerStates implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProducerStates.class);

    private final LogManager logs;
    private final Clock clock;
    private final long expirationMs;
    private final Map<TopicPartition, ProducerStateTable> tables = new ConcurrentHashMap<>();

    private ProducerStates(LogManager logs, Clock clock, long expirationMs) {
        this.logs = logs;
        this.clock = clock;
        this.expirationMs = expirationMs;
    }

    /**
     * Rebuilds the state of every partition {@code logs} holds.
     *
     * @param expirationMs producer.id.expiration.ms: producers idle this long are forgotten
     */
    public static ProducerStates load(LogManager logs, Clock clock, long expirationMs) {
        if (expirationMs <= 0) {
            throw new IllegalArgumentException("producer.id.expiration.ms must be positive, not " + expirationMs);
        }
        ProducerStates states = new ProducerStates(logs, clock, expirationMs);
        long started = System.nanoTime();
        for (PartitionLog partitionLog : logs.allLogs()) {
            states.tables.put(partitionLog.topicPartition(), ProducerStateTable.load(partitionLog, clock, expirationMs));
        }
        log.info("Producer state of {} partitions loaded in {} ms", states.tables.size(), (System.nanoTime() - started) / 1_000_000);
        return states;
    }

    /** The table of {@code partitionLog}, created (from its directory and batches) when it is new. */
    ProducerStateTable table(PartitionLog partitionLog) {
        ProducerStateTable table = tables.get(partitionLog.topicPartition());
        if (table != null && table.log() == partitionLog) {
            return table;
        }
        return tables.compute(partitionLog.topicPartition(), (tp, current) ->
            current != null && current.log() == partitionLog ? current : ProducerStateTable.load(partitionLog, clock, expirationMs));
    }

    /**
     * The highest epoch any partition holds for {@code producerId}, or -1 when none has live state for it:
     * the fencing input of an epoch bump through InitProducerId.
     */
    short latestEpoch(long producerId) {
        short latest = RecordBatch.NO_PRODUCER_EPOCH;
        for (ProducerStateTable table : tables.values()) {
            latest = (short) Math.max(latest, table.epochOf(producerId));
        }
        return latest;
    }

    /**
     * Writes {@code snapshot} on {@code executor}, unless its partition has been deleted by then; a failure
     * only costs a longer replay at the next start.
     */
    void writeInBackground(ProducerStateTable.Snapshot snapshot, Executor executor) {
        Runnable write = () -> {
            try {
                if (logs.log(snapshot.log().topicPartition()) != snapshot.log()) {
                    return; // deleted meanwhile: its directory is going away
                }
                snapshot.write();
            } catch (RuntimeException e) {
                log.warn("Cannot write the producer snapshot of {} at offset {}: {}", snapshot.log().topicPartition(),
                    snapshot.offset(), e.toString());
            }
        };
        try {
            executor.execute(write);
        } catch (RejectedExecutionException e) {
            log.debug("Skipping the producer snapshot of {} at offset {}: the broker is stopping", snapshot.log().topicPartition(),
                snapshot.offset());
        }
    }

    /**
     * Snapshots every partition whose log is still live, at its log end offset. Call after the last append
     * and before the logs close.
     */
    @Override
    public void close() {
        int written = 0;
        for (ProducerStateTable table : tables.values()) {
            PartitionLog partitionLog = table.log();
            if (logs.log(partitionLog.topicPartition()) != partitionLog) {
                continue; // deleted (or deleted and made again): its directory is not ours to write
            }
            try {
                table.snapshot().write();
                written++;
            } catch (RuntimeException e) {
                log.warn("Cannot write the producer snapshot of {}: {}", partitionLog.topicPartition(), e.toString());
            }
        }
        log.info("Wrote producer snapshots of {} partitions", written);
    }
}
