package io.tributary.log;

import io.tributary.log.segment.LogSegment;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch-header walks of a read (findBatch, sliceEnd) read the segment a window at a time: with batches of varied
 * sizes, small and larger than the window, and an index sparse enough that walks cross several windows, every offset
 * is found in its own batch and every slice ends on the batch boundary its byte budget allows.
 */
class HeaderWalkTest {
    @TempDir
    Path dir;

    private static ByteBuffer batch(long baseOffset, int records, int valueBytes) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none()).baseOffset(baseOffset);
        for (int i = 0; i < records; i++) {
            builder.append(1_700_000_000_000L, null, ByteBuffer.wrap(new byte[valueBytes]));
        }
        return builder.build();
    }

    private record Written(long baseOffset, long lastOffset, int position, int size) {
    }

    @Test
    void everyOffsetIsFoundAndEverySliceEndsOnTheLastBatchThatFits() {
        // an index entry only every 20 KiB: walks of many headers, across 4 KiB windows and past 8 KiB batches
        LogConfig config = LogTestSupport.config(Map.of("index.interval.bytes", Integer.toString(20 * 1024)));
        LogSegment segment = LogSegment.create(dir, 0, config);
        try {
            List<Written> written = new ArrayList<>();
            long next = 0;
            int[] valueBytes = {10, 100, 3_000, 8_000, 1};
            for (int i = 0; i < 60; i++) {
                int records = 1 + i % 3;
                ByteBuffer batch = batch(next, records, valueBytes[i % valueBytes.length]);
                written.add(new Written(next, next + records - 1, segment.size(), batch.remaining()));
                segment.append(batch, 0);
                next += records;
            }
            for (long offset = 0; offset < next; offset++) {
                LogSegment.BatchPosition found = segment.findBatch(offset, Integer.MAX_VALUE);
                long wanted = offset;
                Written holder = written.stream().filter(w -> w.baseOffset() <= wanted && wanted <= w.lastOffset()).findFirst().orElseThrow();
                assertThat(found.position()).as("position of offset %d", offset).isEqualTo(holder.position());
                assertThat(found.baseOffset()).isEqualTo(holder.baseOffset());
                assertThat(found.size()).isEqualTo(holder.size());

                for (int maxBytes : new int[]{1, 5_000, 12_000, 40_000}) {
                    LogSegment.SliceEnd end = segment.sliceEnd(found, maxBytes, true, next);
                    int expectedEnd = holder.position() + holder.size(); // minOneBatch: the first batch in any case
                    long expectedNext = holder.lastOffset() + 1;
                    for (Written w : written) {
                        if (w.position() >= expectedEnd && w.position() + w.size() - holder.position() <= maxBytes
                            && w.position() == expectedEnd) {
                            expectedEnd += w.size();
                            expectedNext = w.lastOffset() + 1;
                        }
                    }
                    assertThat(end.position()).as("slice end from offset %d within %d bytes", offset, maxBytes).isEqualTo(expectedEnd);
                    assertThat(end.nextOffset()).isEqualTo(expectedNext);
                }
            }
        } finally {
            segment.close();
        }
    }
}
