package io.tributary.log;

import io.tributary.log.index.OffsetPosition;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.segment.LogSegment;
import io.tributary.protocol.record.RecordBatch;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of a partition log under any sequence of appends, with segment and index sizes small enough
 * that rolls, index-full rolls and sparse index gaps all happen.
 */
class PartitionLogProperties {
    /** The log and the batches appended to it, as stamped by the log. */
    private record Written(PartitionLog log, List<ByteBuffer> batches, Path dir) {
        long endOffset() {
            return batches.isEmpty() ? 0 : RecordBatch.at(last(), 0).nextOffset();
        }

        ByteBuffer last() {
            return batches.get(batches.size() - 1);
        }
    }

    private static Written write(AppendPlan plan, boolean reopen, ManualClock clock) {
        Path dir = TempDirs.create();
        LogConfig config = LogTestSupport.config(plan.overrides());
        PartitionLog log = LogTestSupport.open(dir, config, clock);
        List<ByteBuffer> stamped = new ArrayList<>();
        for (AppendPlan.BatchSpec spec : plan.batches()) {
            ByteBuffer batch = spec.build();
            log.append(batch, 0); // stamps the base offset into our buffer
            stamped.add(batch);
        }
        if (reopen) {
            log.close();
            log = LogTestSupport.open(dir, config, clock);
        }
        return new Written(log, stamped, dir);
    }

    private static void cleanUp(Written written) {
        written.log().close();
        TempDirs.delete(written.dir());
    }

    @Provide
    Arbitrary<AppendPlan> plans() {
        return AppendPlan.plans(60);
    }

    @Property(tries = 120)
    void readingFromAnyOffsetReturnsTheBatchesFromTheOneHoldingItOnward(@ForAll("plans") AppendPlan plan,
                                                                       @ForAll boolean reopen,
                                                                       @ForAll @IntRange(min = 0, max = 100_000) int offsetSeed,
                                                                       @ForAll @IntRange(min = 1, max = 20_000) int maxBytes) {
        Written written = write(plan, reopen, new ManualClock(2_000));
        try {
            PartitionLog log = written.log();
            assertThat(log.logEndOffset()).isEqualTo(written.endOffset());
            long target = offsetSeed % written.endOffset();
            int holder = 0;
            while (RecordBatch.at(written.batches().get(holder), 0).lastOffset() < target) {
                holder++;
            }
            List<ByteBuffer> expected = written.batches().subList(holder, written.batches().size());

            assertThat(LogTestSupport.readFrom(log, target, maxBytes)).isEqualTo(expected);

            // One read: whole batches, starting at the holder, within maxBytes unless a single batch.
            try (LogSlice slice = log.read(target, maxBytes, true)) {
                List<RecordBatch> got = TestBatches.split(slice.readIntoHeap());
                assertThat(got).isNotEmpty();
                assertThat(slice.nextOffset()).isEqualTo(got.get(got.size() - 1).nextOffset());
                assertThat(got.get(0).baseOffset()).isEqualTo(RecordBatch.at(expected.get(0), 0).baseOffset());
                if (got.size() > 1) {
                    assertThat(slice.length()).isLessThanOrEqualTo(maxBytes);
                }
                int fitting = 0;
                long bytes = 0;
                for (ByteBuffer b : expected) {
                    bytes += b.remaining();
                    if (bytes > maxBytes) {
                        break;
                    }
                    fitting++;
                }
                // It stops early only at a segment end.
                if (got.size() < Math.max(1, fitting)) {
                    long next = got.get(got.size() - 1).nextOffset();
                    assertThat(log.segments()).anySatisfy(s -> assertThat(s.baseOffset()).isEqualTo(next));
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            cleanUp(written);
        }
    }

    @Property(tries = 80)
    void indexLookupsEqualALinearScan(@ForAll("plans") AppendPlan plan, @ForAll boolean reopen) {
        Written written = write(plan, reopen, new ManualClock(2_000));
        try {
            for (LogSegment segment : written.log().segments()) {
                var index = segment.offsetIndex();
                for (long target = segment.baseOffset(); target <= segment.nextOffset(); target++) {
                    OffsetPosition linear = new OffsetPosition(segment.baseOffset(), 0);
                    for (int i = 0; i < index.entries(); i++) {
                        if (index.entry(i).offset() <= target) {
                            linear = index.entry(i);
                        }
                    }
                    assertThat(index.lookup(target)).isEqualTo(linear);
                }
                var timeIndex = segment.timeIndex();
                for (long ts = 990; ts <= 1_210; ts++) {
                    TimestampOffset linear = null;
                    for (int i = 0; i < timeIndex.entries(); i++) {
                        if (timeIndex.entry(i).timestamp() < ts) {
                            linear = timeIndex.entry(i);
                        }
                    }
                    assertThat(timeIndex.lastEntryBefore(ts)).isEqualTo(linear);
                }
            }
            // Positions found through the index equal the positions found by walking every batch.
            int position = 0;
            LogSegment current = null;
            for (ByteBuffer batch : written.batches()) {
                RecordBatch view = RecordBatch.at(batch, 0);
                LogSegment segment = segmentOf(written.log(), view.baseOffset());
                if (segment != current) {
                    current = segment;
                    position = 0;
                }
                for (long offset = view.baseOffset(); offset <= view.lastOffset(); offset++) {
                    LogSegment.BatchPosition found = segment.findBatch(offset, Integer.MAX_VALUE);
                    assertThat(found).isEqualTo(new LogSegment.BatchPosition(position, view.sizeInBytes(), view.baseOffset(), view.lastOffset()));
                }
                position += view.sizeInBytes();
            }
        } finally {
            cleanUp(written);
        }
    }

    private static LogSegment segmentOf(PartitionLog log, long offset) {
        LogSegment holder = null;
        for (LogSegment segment : log.segments()) {
            if (segment.baseOffset() <= offset) {
                holder = segment;
            }
        }
        return holder;
    }

    @Property(tries = 120)
    void timestampLookupReturnsTheFirstRecordAtOrAfterTheTarget(@ForAll("plans") AppendPlan plan, @ForAll boolean reopen,
                                                               @ForAll @LongRange(min = 990, max = 1_210) long target) {
        Written written = write(plan, reopen, new ManualClock(2_000));
        try {
            TimestampOffset expected = null;
            long offset = 0;
            long maxTimestamp = Long.MIN_VALUE;
            for (AppendPlan.BatchSpec spec : plan.batches()) {
                for (long ts : spec.timestamps()) {
                    if (expected == null && ts >= target) {
                        expected = new TimestampOffset(ts, offset);
                    }
                    maxTimestamp = Math.max(maxTimestamp, ts);
                    offset++;
                }
            }
            assertThat(written.log().offsetForTimestamp(target)).isEqualTo(expected);

            TimestampOffset firstMax = null;
            offset = 0;
            for (AppendPlan.BatchSpec spec : plan.batches()) {
                for (long ts : spec.timestamps()) {
                    if (firstMax == null && ts == maxTimestamp) {
                        firstMax = new TimestampOffset(ts, offset);
                    }
                    offset++;
                }
            }
            assertThat(written.log().maxTimestampOffset()).isEqualTo(firstMax);
        } finally {
            cleanUp(written);
        }
    }

    @Property(tries = 80)
    void offsetsStayContiguousAcrossRollsAndRetention(@ForAll("plans") AppendPlan plan,
                                                      @ForAll @IntRange(min = 0, max = 30_000) int retentionBytes,
                                                      @ForAll boolean reopen) {
        ManualClock clock = new ManualClock(2_000);
        Written written = write(plan, reopen, clock);
        try {
            PartitionLog log = written.log();
            Map<String, String> withRetention = new java.util.HashMap<>(plan.overrides());
            withRetention.put("retention.bytes", Integer.toString(retentionBytes));
            log.updateConfig(LogTestSupport.config(withRetention));
            log.deleteRetainedSegments();

            assertThat(log.logEndOffset()).isEqualTo(written.endOffset());
            assertThat(log.logStartOffset()).isEqualTo(log.segments().get(0).baseOffset());
            long expectedNext = log.logStartOffset();
            for (ByteBuffer batch : LogTestSupport.readAll(log)) {
                RecordBatch view = RecordBatch.at(batch, 0);
                assertThat(view.baseOffset()).isEqualTo(expectedNext);
                expectedNext = view.nextOffset();
            }
            assertThat(expectedNext).isEqualTo(log.logEndOffset());
            for (int i = 1; i < log.segments().size(); i++) {
                assertThat(log.segments().get(i).baseOffset()).isEqualTo(log.segments().get(i - 1).nextOffset());
            }
            assertThat(log.segments()).allSatisfy(s -> assertThat(s.size()).isLessThanOrEqualTo(plan.segmentBytes()));
            // Appends continue right after.
            assertThat(log.append(TestBatches.batch(1, 1_100, 5), 0).firstOffset()).isEqualTo(written.endOffset());
        } finally {
            cleanUp(written);
        }
    }
}
