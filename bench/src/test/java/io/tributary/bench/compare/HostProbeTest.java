package io.tributary.bench.compare;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HostProbeTest {

    private static final String MEMINFO = """
        MemTotal:       16303412 kB
        Dirty:              2048 kB
        Writeback:             0 kB
        WritebackTmp:          0 kB
        """;

    private static String vmstat(long dirty, long writeback, long dirtied, long written) {
        return "nr_free_pages 1000\nnr_dirty " + dirty + "\nnr_writeback " + writeback + "\nnr_dirtied " + dirtied + "\nnr_written "
            + written + "\nnr_throttled_written 0\nnr_dirty_threshold 1202447\nnr_dirty_background_threshold 256\n";
    }

    private static String status(String name, long tid, long voluntary, long involuntary) {
        return "Name:\t" + name + "\nState:\tS (sleeping)\nPid:\t" + tid + "\nVmRSS:\t  1024 kB\nvoluntary_ctxt_switches:\t" + voluntary
            + "\nnonvoluntary_ctxt_switches:\t" + involuntary + "\n";
    }

    @Test
    void procFilesParse() {
        assertThat(HostProbe.keyValues(MEMINFO)).containsEntry("Dirty", 2048L).containsEntry("Writeback", 0L).containsEntry("MemTotal", 16303412L);
        assertThat(HostProbe.keyValues(vmstat(5, 1, 100, 90))).containsEntry("nr_dirty", 5L).containsEntry("nr_written", 90L);
        assertThat(HostProbe.keyValues("rchar: 6976\nwrite_bytes: 4096\n")).containsEntry("write_bytes", 4096L);

        HostProbe.Pressure p = HostProbe.pressure("some avg10=10.61 avg60=15.87 avg300=14.41 total=8894191156\n"
            + "full avg10=0.50 avg60=0.00 avg300=0.00 total=42\n");
        assertThat(p).isEqualTo(new HostProbe.Pressure(10.61, 8_894_191_156L, 0.5, 42));
        assertThat(HostProbe.pressure("some avg10=1.00 avg60=0.00 avg300=0.00 total=7\n").fullTotalMicros()).isZero();
        assertThat(HostProbe.pressure("")).isNull();
        assertThat(HostProbe.pressure("garbage")).isNull();

        assertThat(HostProbe.switches(status("io-1", 78, 12, 3))).isEqualTo(new HostProbe.Switches(78, "io-1", 12, 3));
    }

    @Test
    void aWindowOverFixtureFilesGivesMaxMeanAndDeltas(@TempDir Path proc) throws Exception {
        Files.writeString(proc.resolve("meminfo"), MEMINFO);
        Files.writeString(proc.resolve("vmstat"), vmstat(512, 0, 1_000, 900));
        Files.createDirectories(proc.resolve("pressure"));
        Files.writeString(proc.resolve("pressure/cpu"), "some avg10=5.00 avg60=0.00 avg300=0.00 total=1000000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        Path tasks = Files.createDirectories(proc.resolve("77/task"));
        Files.createDirectories(tasks.resolve("77"));
        Files.writeString(tasks.resolve("77/status"), status("java", 77, 10, 1));
        Files.createDirectories(tasks.resolve("78"));
        Files.writeString(tasks.resolve("78/status"), status("io-1", 78, 100, 5));
        Files.writeString(proc.resolve("77/io"), "syscw: 10\nwrite_bytes: 0\n");

        // A period far beyond the test: only the samples at start and stop are taken, so the figures are exact.
        HostProbe probe = HostProbe.start(proc, 77, Duration.ofHours(1));
        Files.writeString(proc.resolve("meminfo"), MEMINFO.replace("2048", "6144").replace("Writeback:             0", "Writeback:          1024"));
        Files.writeString(proc.resolve("vmstat"), vmstat(1536, 256, 3_000, 1_900));
        Files.writeString(proc.resolve("pressure/cpu"), "some avg10=9.00 avg60=0.00 avg300=0.00 total=1500000\n");
        Files.writeString(tasks.resolve("78/status"), status("io-1", 78, 160, 25));
        Files.createDirectories(tasks.resolve("79"));
        Files.writeString(tasks.resolve("79/status"), status("log-cleaner-0", 79, 4, 1));
        Files.writeString(proc.resolve("77/io"), "syscw: 510\nwrite_bytes: 8192\n");
        Map<String, Double> f = probe.stop();

        assertThat(f.get("host Dirty max (MiB)")).isEqualTo(6.0);
        assertThat(f.get("host Dirty mean (MiB)")).isEqualTo(4.0);
        assertThat(f.get("host Writeback max (MiB)")).isEqualTo(1.0);
        assertThat(f.get("host nr_dirty max (pages)")).isEqualTo(1536.0);
        assertThat(f.get("host nr_writeback max (pages)")).isEqualTo(256.0);
        assertThat(f.get("host dirty background threshold (MiB)")).isEqualTo(256.0 * HostProbe.PhysicalPage.BYTES / 1048576);
        double seconds = 2_000 / f.get("host nr_dirtied (pages/s)");
        assertThat(seconds).isPositive();
        assertThat(f.get("host nr_written (pages/s)")).isCloseTo(1_000 / seconds, within(1e-6));
        assertThat(f.get("host CPU pressure some (% of window)")).isCloseTo(500_000 / 1e4 / seconds, within(1e-6));
        assertThat(f.get("host CPU pressure some avg10 max (%)")).isEqualTo(9.0);
        assertThat(f).doesNotContainKey("host IO pressure some (% of window)"); // no /proc/pressure/io in the fixture
        assertThat(f.get("broker voluntary context switches (/s)")).isCloseTo(64 / seconds, within(1e-6));
        assertThat(f.get("broker involuntary context switches (/s)")).isCloseTo(21 / seconds, within(1e-6));
        assertThat(f.get("broker write syscalls (/s)")).isCloseTo(500 / seconds, within(1e-6));
        assertThat(probe.busiestThreads(2)).containsExactly(new HostProbe.Switches(78, "io-1", 60, 20),
            new HostProbe.Switches(79, "log-cleaner-0", 4, 1));
    }

    @Test
    void missingProcFilesGiveNoFiguresRatherThanErrors(@TempDir Path empty) {
        HostProbe probe = HostProbe.start(empty, 1, Duration.ofMillis(10));
        assertThat(probe.stop()).isEmpty();
        assertThat(probe.busiestThreads(5)).isEmpty();
    }

    @Test
    void theRealProcOfThisProcessIsRead() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/proc/meminfo")), "no /proc here");
        HostProbe probe = HostProbe.start(Path.of("/proc"), ProcessHandle.current().pid(), Duration.ofMillis(10));
        Map<String, Double> f = probe.stop();
        assertThat(f).containsKeys("host Dirty max (MiB)", "host Writeback mean (MiB)", "broker voluntary context switches (/s)");
        assertThat(f.values()).allSatisfy(v -> assertThat(v).isFinite());
        assertThat(probe.busiestThreads(100)).isNotEmpty();
    }
}
