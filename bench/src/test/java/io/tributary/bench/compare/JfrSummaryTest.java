package io.tributary.bench.compare;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short recording of this JVM made in the test: a collection, a contended monitor and file writes with an fsync on a
 * thread named as Tributary's event loops ("io-N"), allocation in a known method; the summary must find each in the
 * window that holds them and nothing in a window that does not.
 */
class JfrSummaryTest {
    private static final Object LOCK = new Object();
    private static volatile Object sink;

    @Test
    void aRecordingIsSummarisedOverItsWindow(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test.jfr");
        Instant from;
        Instant to;
        try (Recording recording = new Recording(JfrSummary.settings(Duration.ZERO))) {
            recording.start();
            from = Instant.now();
            System.gc();
            Thread eventLoop = new Thread(() -> {
                synchronized (LOCK) {
                    sink = LOCK;
                }
                try (FileOutputStream out = new FileOutputStream(dir.resolve("segment.log").toFile())) {
                    out.write(new byte[4096]);
                    out.getChannel().force(true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "io-7");
            synchronized (LOCK) {
                eventLoop.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (eventLoop.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(eventLoop.getState()).isEqualTo(Thread.State.BLOCKED);
            }
            eventLoop.join(TimeUnit.SECONDS.toMillis(30));
            allocateSome();
            to = Instant.now();
            recording.stop();
            recording.dump(file);
        }

        Map<Long, String> threadNames = new java.util.HashMap<>();
        List<JfrSummary.WindowSummary> summaries = JfrSummary.summarise(file, List.of(
            new JfrSummary.Window("during", from, to),
            new JfrSummary.Window("an hour later", to.plusSeconds(3600), to.plusSeconds(7200))), threadNames);
        assertThat(threadNames).containsValue("io-7");
        JfrSummary.WindowSummary during = summaries.get(0);
        assertThat(during.gcPauses().count()).isPositive();
        assertThat(during.gcPauses().maxMs()).isPositive();
        assertThat(during.safepoints().count()).isPositive();
        assertThat(during.monitorEnter()).containsKey("io-# on java.lang.Object");
        assertThat(during.fileIo()).containsKeys("FileWrite io-#", "FileForce io-#");
        assertThat(during.allocation().keySet()).anyMatch(site -> site.contains("allocateSome"));

        Map<String, Double> figures = during.figures("broker JFR");
        assertThat(figures.get("broker JFR GC pauses (count)")).isPositive();
        assertThat(figures.get("broker JFR event-loop monitor+park waits total (ms)")).isPositive();
        assertThat(figures.get("broker JFR event-loop file I/O total (ms)")).isPositive();
        assertThat(figures.get("broker JFR fsync (FileForce) total (ms)")).isPositive();

        JfrSummary.WindowSummary later = summaries.get(1);
        assertThat(later.gcPauses().count()).isZero();
        assertThat(later.safepoints().count()).isZero();
        assertThat(later.monitorEnter()).isEmpty();
        assertThat(later.fileIo()).isEmpty();
        assertThat(later.allocation()).isEmpty();

        String md = JfrSummary.markdown("test", summaries, Duration.ofMillis(1));
        assertThat(md).contains("## during", "## an hour later", "| io-# on java.lang.Object (EL) |", "| FileForce io-# (EL) |",
            "allocateSome");
    }

    @Test
    void durationsGiveCountTotalMaxAndNearestRankPercentiles() {
        JfrSummary.Durations d = new JfrSummary.Durations();
        for (int ms = 1; ms <= 100; ms++) {
            d.add(Duration.ofMillis(ms));
        }
        assertThat(d.count()).isEqualTo(100);
        assertThat(d.totalMs()).isEqualTo(5050.0);
        assertThat(d.maxMs()).isEqualTo(100.0);
        assertThat(d.percentileMs(99)).isEqualTo(99.0);
        assertThat(d.percentileMs(50)).isEqualTo(50.0);
        assertThat(new JfrSummary.Durations().percentileMs(99)).isZero();
    }

    @Test
    void theSettingsFileIsAJfcTheJdkReads(@TempDir Path dir) throws Exception {
        Path jfc = dir.resolve("bench.jfc");
        JfrSummary.writeSettings(jfc, Duration.ofMillis(1));
        Map<String, String> settings = Configuration.create(jfc).getSettings();
        assertThat(settings).containsEntry("jdk.JavaMonitorEnter#threshold", "1000000 ns")
            .containsEntry("jdk.FileForce#threshold", "1000000 ns")
            .containsEntry("jdk.SafepointEnd#enabled", "true")
            .containsEntry("jdk.ObjectAllocationSample#enabled", "true");
    }

    @Test
    void eventLoopsAreTributarysIoThreadsAndKafkasNetworkThreads() {
        assertThat(JfrSummary.EVENT_LOOP.matcher("io-#").find()).isTrue();
        assertThat(JfrSummary.EVENT_LOOP.matcher("data-plane-kafka-network-thread-#-ListenerName(PLAINTEXT)-PLAINTEXT-#").find()).isTrue();
        assertThat(JfrSummary.EVENT_LOOP.matcher("kafka-producer-network-thread | producer-#").find()).isTrue();
        assertThat(JfrSummary.EVENT_LOOP.matcher("data-plane-kafka-request-handler-#").find()).isFalse();
        assertThat(JfrSummary.EVENT_LOOP.matcher("log-cleaner-#").find()).isFalse();
    }

    @Test
    void parksOnLocksAreToldFromWaitsForWork() {
        assertThat(JfrSummary.waitsForWork("java.util.concurrent.locks.ReentrantLock$NonfairSync")).isFalse();
        assertThat(JfrSummary.waitsForWork("java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync")).isFalse();
        assertThat(JfrSummary.waitsForWork("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject")).isTrue();
        assertThat(JfrSummary.waitsForWork("java.util.concurrent.LinkedBlockingQueue")).isTrue();
        assertThat(JfrSummary.waitsForWork("java.util.concurrent.CompletableFuture$Signaller")).isTrue();
        assertThat(JfrSummary.waitsForWork("?")).isTrue();
        assertThat(JfrSummary.cell("kafka-producer-network-thread | producer-#")).isEqualTo("kafka-producer-network-thread \\| producer-#");
    }

    private static void allocateSome() {
        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            kept.add(new byte[16 * 1024]);
            if (kept.size() > 64) {
                kept.clear();
            }
        }
        sink = kept;
    }
}
