package io.tributary.log;

import io.tributary.log.segment.LogSegment;
import io.tributary.protocol.record.RecordBatch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash recovery: take the disk image of a log that was never closed, damage the active segment the way a
 * crash can (a torn tail, garbage over the tail, lost index files), reopen it as after an unclean stop,
 * and check that the log is the longest valid prefix, serves no corrupt batch, and appends continue at the
 * right offset.
 */
class RecoveryProperties {
    enum Damage { TRUNCATE_TAIL, OVERWRITE_TAIL, ZERO_FILLED_TAIL, DELETE_INDEX_FILES, NONE }

    @Provide
    Arbitrary<AppendPlan> plans() {
        return AppendPlan.plans(40);
    }

    @Property(tries = 200)
    void reopeningAfterACrashYieldsTheLongestValidPrefix(@ForAll("plans") AppendPlan plan,
                                                        @ForAll Damage damage,
                                                        @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int where,
                                                        @ForAll long seed) throws IOException {
        ManualClock clock = new ManualClock(2_000);
        Path dir = TempDirs.create();
        Path image = null;
        LogConfig config = LogTestSupport.config(plan.overrides());
        PartitionLog original = LogTestSupport.open(dir, config, clock);
        PartitionLog recovered = null;
        try {
            List<ByteBuffer> written = new ArrayList<>();
            for (AppendPlan.BatchSpec spec : plan.batches()) {
                ByteBuffer batch = spec.build();
                original.append(batch, 0);
                written.add(batch);
            }
            LogSegment active = original.activeSegment();
            long recoveryPoint = original.recoveryPoint();
            image = TempDirs.snapshot(dir);
            Path activeLog = image.resolve(active.logFile().getFileName());
            long activeSize = Files.size(activeLog);
            Random random = new Random(seed);

            // Batches that lie wholly before the first damaged byte must survive.
            long damagedFrom = Long.MAX_VALUE;
            switch (damage) {
                case TRUNCATE_TAIL -> {
                    damagedFrom = activeSize == 0 ? 0 : where % (activeSize + 1);
                    try (FileChannel ch = FileChannel.open(activeLog, StandardOpenOption.WRITE)) {
                        ch.truncate(damagedFrom);
                    }
                }
                case OVERWRITE_TAIL -> {
                    if (activeSize > 0) {
                        long tail = Math.min(activeSize, 600);
                        damagedFrom = activeSize - 1 - (where % tail);
                        byte[] garbage = new byte[1 + random.nextInt(40)];
                        random.nextBytes(garbage);
                        try (FileChannel ch = FileChannel.open(activeLog, StandardOpenOption.WRITE)) {
                            ch.write(ByteBuffer.wrap(garbage), damagedFrom);
                        }
                    }
                }
                case ZERO_FILLED_TAIL -> {
                    try (FileChannel ch = FileChannel.open(activeLog, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.allocate(1 + where % 5000), activeSize);
                    }
                }
                case DELETE_INDEX_FILES -> {
                    List<LogSegment> segments = original.segments();
                    LogSegment victim = segments.get(where % segments.size());
                    Files.deleteIfExists(image.resolve(victim.offsetIndex().file().getFileName()));
                    if (random.nextBoolean()) {
                        Files.deleteIfExists(image.resolve(victim.timeIndex().file().getFileName()));
                    }
                }
                case NONE -> {
                }
            }

            recovered = LogTestSupport.reopenUnclean(image, config, clock, recoveryPoint);
            List<ByteBuffer> survivors = LogTestSupport.readAll(recovered); // checks every batch's CRC

            long activeBase = active.baseOffset();
            int mustSurvive = 0;
            long positionInActive = 0;
            for (ByteBuffer batch : written) {
                RecordBatch view = RecordBatch.at(batch, 0);
                if (view.baseOffset() >= activeBase) {
                    if (positionInActive + view.sizeInBytes() > damagedFrom) {
                        break;
                    }
                    positionInActive += view.sizeInBytes();
                }
                mustSurvive++;
            }
            assertThat(survivors.size()).isBetween(mustSurvive, written.size());
            assertThat(survivors.subList(0, mustSurvive)).isEqualTo(written.subList(0, mustSurvive));
            if (damage == Damage.TRUNCATE_TAIL) {
                assertThat(survivors).hasSize(mustSurvive);
            }
            if (damage == Damage.ZERO_FILLED_TAIL || damage == Damage.DELETE_INDEX_FILES || damage == Damage.NONE) {
                assertThat(survivors).isEqualTo(written);
            }
            for (int i = mustSurvive; i < survivors.size(); i++) {
                // A batch past the damage survives only if every byte its CRC covers is intact.
                assertThat(checksummedBytes(survivors.get(i))).isEqualTo(checksummedBytes(written.get(i)));
            }

            long expectedEnd = survivors.isEmpty() ? 0 : RecordBatch.at(survivors.get(survivors.size() - 1), 0).nextOffset();
            assertThat(recovered.logEndOffset()).isEqualTo(expectedEnd);
            assertThat(recovered.recoveryPoint()).isEqualTo(expectedEnd);
            for (ByteBuffer survivor : survivors) {
                long base = RecordBatch.at(survivor, 0).baseOffset();
                try (LogSlice slice = recovered.read(base, 1, true)) {
                    assertThat(slice.readIntoHeap()).isEqualTo(survivor);
                }
            }
            assertThat(recovered.append(TestBatches.batch(2, 1_100, 10), 0).firstOffset()).isEqualTo(expectedEnd);
            assertThat(LogTestSupport.readAll(recovered)).hasSize(survivors.size() + 1);
        } finally {
            original.close();
            if (recovered != null) {
                recovered.close();
            }
            TempDirs.delete(dir);
            if (image != null) {
                TempDirs.delete(image);
            }
        }
    }

    private static ByteBuffer checksummedBytes(ByteBuffer batch) {
        ByteBuffer covered = batch.duplicate();
        covered.position(RecordBatch.ATTRIBUTES_OFFSET);
        return covered;
    }

    @Property(tries = 30)
    void recoveryAfterACleanShutdownSkipsTheScanButStillSeesEverything(@ForAll("plans") AppendPlan plan) {
        ManualClock clock = new ManualClock(2_000);
        Path dir = TempDirs.create();
        LogConfig config = LogTestSupport.config(plan.overrides());
        try {
            PartitionLog log = LogTestSupport.open(dir, config, clock);
            List<ByteBuffer> written = new ArrayList<>();
            for (AppendPlan.BatchSpec spec : plan.batches()) {
                ByteBuffer batch = spec.build();
                log.append(batch, 0);
                written.add(batch);
            }
            log.close();
            PartitionLog reopened = LogTestSupport.open(dir, config, clock);
            try {
                assertThat(LogTestSupport.readAll(reopened)).isEqualTo(written);
                assertThat(reopened.recoveryPoint()).isEqualTo(reopened.logEndOffset());
            } finally {
                reopened.close();
            }
        } catch (RuntimeException e) {
            throw e;
        } finally {
            try {
                TempDirs.delete(dir);
            } catch (UncheckedIOException ignored) {
                // best effort
            }
        }
    }
}
