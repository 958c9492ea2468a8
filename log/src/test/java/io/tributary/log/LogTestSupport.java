package io.tributary.log;

import io.tributary.protocol.TopicPartition;

import io.tributary.protocol.record.RecordBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Opening logs and reading them back whole, for the log tests. */
final class LogTestSupport {
    static final TopicPartition TP = new TopicPartition("orders", 0);

    private LogTestSupport() {
    }

    static LogConfig config(Map<String, String> overrides) {
        return LogConfig.defaults().withOverrides(overrides);
    }

    static PartitionLog open(Path dir, LogConfig config, ManualClock clock) {
        return PartitionLog.open(dir, TP, config, 0, true, clock, Runnable::run);
    }

    static PartitionLog reopenUnclean(Path dir, LogConfig config, ManualClock clock, long recoveryPoint) {
        return PartitionLog.open(dir, TP, config, recoveryPoint, false, clock, Runnable::run);
    }

    /** Every batch from {@code from} to the log end, read through slices of at most {@code maxBytes}; each checked. */
    static List<ByteBuffer> readFrom(PartitionLog log, long from, int maxBytes) {
        List<ByteBuffer> batches = new ArrayList<>();
        long next = from;
        for (int reads = 0; next < log.logEndOffset(); reads++) {
            if (reads > 1_000_000) {
                throw new AssertionError("read loop did not reach the log end");
            }
            try (LogSlice slice = log.read(next, maxBytes, true)) {
                if (slice.isEmpty()) {
                    throw new AssertionError("empty slice at offset " + next + " below log end " + log.logEndOffset());
                }
                ByteBuffer bytes = slice.readIntoHeap();
                for (RecordBatch batch : TestBatches.split(bytes)) {
                    batch.ensureValid();
                    ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
                    ByteBuffer src = bytes.duplicate();
                    src.position(batch.start()).limit(batch.start() + batch.sizeInBytes());
                    copy.put(src).flip();
                    batches.add(copy);
                    next = batch.nextOffset();
                }
                if (slice.nextOffset() != next) {
                    throw new AssertionError("slice says continue at " + slice.nextOffset() + " but its last batch ends before " + next);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return batches;
    }

    static List<ByteBuffer> readAll(PartitionLog log) {
        return readFrom(log, log.logStartOffset(), 64 * 1024);
    }

    static long baseOffset(ByteBuffer batch) {
        return RecordBatch.at(batch, 0).baseOffset();
    }
}
