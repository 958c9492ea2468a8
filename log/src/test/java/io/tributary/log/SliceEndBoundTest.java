package io.tributary.log;

import io.tributary.log.segment.LogSegment;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read stops at the log end offset its reader saw, even when the segment already holds later batches: the
 * segment's size is published before the log end offset, and a slice past that end would let a consumer's
 * next fetch start beyond the end the broker still reports (OFFSET_OUT_OF_RANGE, and a consumer that resets
 * to earliest reads everything again).
 */
class SliceEndBoundTest {
    @TempDir
    Path dir;

    private static ByteBuffer batch(long baseOffset, int records) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none()).baseOffset(baseOffset);
        for (int i = 0; i < records; i++) {
            builder.append(1_700_000_000_000L, null, ByteBuffer.wrap(new byte[200]));
        }
        return builder.build();
    }

    @Test
    void batchesAtOrPastTheSeenEndOffsetAreLeftOutOfTheSlice() {
        // Index entries every 500 bytes, so the slice end jumps through the index to a batch past the end too.
        LogConfig config = LogTestSupport.config(Map.of("index.interval.bytes", "500"));
        LogSegment segment = LogSegment.create(dir, 0, config);
        try {
            long next = 0;
            for (int i = 0; i < 10; i++) {
                segment.append(batch(next, 3), 0);
                next += 3;
            }
            LogSegment.BatchPosition first = segment.findBatch(0, Integer.MAX_VALUE);

            LogSegment.SliceEnd all = segment.sliceEnd(first, 1 << 20, true, next);
            assertThat(all.nextOffset()).isEqualTo(30);
            assertThat(all.position()).isEqualTo(segment.size());

            // The reader saw the end at 12: four batches, though ten are in the file.
            LogSegment.SliceEnd bounded = segment.sliceEnd(first, 1 << 20, true, 12);
            assertThat(bounded.nextOffset()).isEqualTo(12);
            assertThat(bounded.position()).isEqualTo(4 * first.size());

            // The first batch alone when the end is right after it.
            LogSegment.SliceEnd one = segment.sliceEnd(first, 1 << 20, true, 3);
            assertThat(one.nextOffset()).isEqualTo(3);
            assertThat(one.position()).isEqualTo(first.size());

            // maxBytes still bounds as before.
            LogSegment.SliceEnd bytes = segment.sliceEnd(first, 2 * first.size() + 1, true, next);
            assertThat(bytes.nextOffset()).isEqualTo(6);
        } finally {
            segment.close();
        }
    }
}
