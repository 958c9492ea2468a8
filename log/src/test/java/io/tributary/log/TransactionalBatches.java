package io.tributary.log;

import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Transactional and plain producer batches for the transaction tests (base offset 0: the log stamps it). */
final class TransactionalBatches {
    private TransactionalBatches() {
    }

    /** {@code count} records of producer {@code producerId}, transactional or not, from sequence {@code sequence}. */
    static ByteBuffer batch(long producerId, short epoch, int sequence, int count, boolean transactional, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none())
            .producer(producerId, epoch, sequence)
            .transactional(transactional);
        for (int i = 0; i < count; i++) {
            builder.append(timestamp, null, ByteBuffer.wrap(("p" + producerId + "-" + (sequence + i)).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    /** A batch without a producer. */
    static ByteBuffer plain(int count, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (int i = 0; i < count; i++) {
            builder.append(timestamp, null, ByteBuffer.wrap(("plain-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    /** Appends as the leader and fails the test on a refusal or duplicate; returns the first offset. */
    static long appendAsLeader(PartitionLog log, ByteBuffer batch) {
        LeaderAppend appended = log.appendAsLeader(log.validate(batch), 0);
        if (appended.appended() == null) {
            throw new AssertionError("append refused or duplicate: " + appended);
        }
        return appended.appended().result().firstOffset();
    }
}
