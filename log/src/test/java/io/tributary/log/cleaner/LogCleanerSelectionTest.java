package io.tributary.log.cleaner;

import io.tributary.log.LogConfig;
import io.tributary.log.ManualClock;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which log the background cleaner takes next: the dirtiest above its ratio, or one whose lag or tombstones are due. */
class LogCleanerSelectionTest {
    @TempDir
    Path root;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final List<PartitionLog> logs = new ArrayList<>();
    final LogCleaner cleaner = new LogCleaner(new LogCleanerConfig(true, 1, 1 << 20, 64 * 1024, 1000), clock, () -> logs);

    @AfterEach
    void close() {
        cleaner.close();
        logs.forEach(PartitionLog::close);
    }

    private PartitionLog log(String name, Map<String, String> overrides) {
        PartitionLog log = PartitionLog.open(root.resolve(name + "-0"), new TopicPartition(name, 0),
            LogConfig.defaults().withOverrides(overrides), 0, true, clock, Runnable::run);
        logs.add(log);
        return log;
    }

    private static ByteBuffer values(long timestamp, int first, int count, boolean tombstones) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (int i = first; i < first + count; i++) {
            builder.append(timestamp, ByteBuffer.wrap(("key-" + i).getBytes(StandardCharsets.UTF_8)),
                tombstones ? null : ByteBuffer.wrap(("value-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    @Test
    void theDirtiestCompactedLogAboveItsRatioGoesFirst() {
        Map<String, String> compact = Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.3");
        PartitionLog clean = log("clean", compact);
        PartitionLog dirty = log("dirty", compact);
        PartitionLog plain = log("plain", Map.of());
        for (PartitionLog log : List.of(clean, dirty, plain)) {
            log.append(values(clock.millis(), 0, 10, false), 0);
            log.roll();
        }
        assertThat(cleaner.dirtiestLog()).isIn(clean, dirty); // both wholly dirty; the plain log never
        cleaner.cleanNow(clean);
        cleaner.cleanNow(dirty);
        assertThat(cleaner.dirtiestLog()).isNull();

        clean.append(values(clock.millis(), 0, 1, false), 0); // 1 dirty record over 11: ratio below 0.3
        clean.roll();
        dirty.append(values(clock.millis(), 0, 10, false), 0);
        dirty.roll();
        assertThat(Cleaner.cleanableRange(clean, clock.millis()).dirtyRatio()).isLessThan(0.3);
        assertThat(Cleaner.cleanableRange(dirty, clock.millis()).dirtyRatio()).isGreaterThan(0.3);
        assertThat(cleaner.dirtiestLog()).isSameAs(dirty);
        cleaner.cleanNow(dirty);
        assertThat(cleaner.dirtiestLog()).isNull();
    }

    @Test
    void maxCompactionLagAndDueTombstonesMakeALogCleanableBelowItsRatio() {
        PartitionLog lagging = log("lagging", Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.99",
            "max.compaction.lag.ms", "60000"));
        lagging.append(values(clock.millis(), 0, 20, false), 0);
        lagging.roll();
        cleaner.cleanNow(lagging);
        lagging.append(values(clock.millis(), 0, 1, false), 0);
        lagging.roll();
        assertThat(cleaner.dirtiestLog()).isNull();
        clock.advance(60_001);
        assertThat(cleaner.dirtiestLog()).isSameAs(lagging);
        cleaner.cleanNow(lagging);

        PartitionLog deleting = log("deleting", Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.99",
            "delete.retention.ms", "1000"));
        deleting.append(values(clock.millis(), 0, 5, true), 0);
        deleting.roll();
        cleaner.cleanNow(deleting);
        assertThat(deleting.nextDeleteHorizonMs()).isEqualTo(clock.millis() + 1000);
        assertThat(cleaner.dirtiestLog()).isNull();
        clock.advance(1000);
        assertThat(cleaner.dirtiestLog()).isSameAs(deleting);
        cleaner.cleanNow(deleting);
        assertThat(deleting.nextDeleteHorizonMs()).isEqualTo(-1);
        assertThat(cleaner.dirtiestLog()).isNull();
    }
}
