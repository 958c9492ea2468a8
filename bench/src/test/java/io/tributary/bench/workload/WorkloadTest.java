package io.tributary.bench.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadTest {

    @Test
    void aFileSetsWhatItNamesAndDefaultsTheRest(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("skewed.properties");
        Files.writeString(file, """
            # comment lines are allowed
            partitions-per-topic = 12
            key-distribution = zipf
            producer-rate = 25_000
            warmup = 500ms
            duration = 2m
            acks = all
            compression = zstd
            backlog-read = true
            """);
        Workload w = Workload.read(file);
        assertThat(w.name()).isEqualTo("skewed");
        assertThat(w.partitionsPerTopic()).isEqualTo(12);
        assertThat(w.keyDistribution()).isEqualTo(KeyDistribution.ZIPF);
        assertThat(w.fixedRate()).isTrue();
        assertThat(w.producerRate()).isEqualTo(25_000);
        assertThat(w.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(w.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(w.acks()).isEqualTo("all");
        assertThat(w.compression()).isEqualTo("zstd");
        assertThat(w.backlogRead()).isTrue();
        assertThat(w.topics()).isEqualTo(1);
        assertThat(w.recordSize()).isEqualTo(1024);
        assertThat(Workload.of(w.settings())).isEqualTo(w);
    }

    @Test
    void maxRateIsNotAFixedRate() {
        Workload w = Workload.of(Map.of("producer-rate", "max"));
        assertThat(w.fixedRate()).isFalse();
        assertThat(Workload.of(w.settings())).isEqualTo(w);
    }

    @Test
    void shippedWorkloadFilesParse() throws IOException {
        Path dir = Path.of("workloads");
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                assertThat(Workload.read(file).name()).isNotBlank();
            }
        }
        assertThat(Workload.read(dir.resolve("compare-max-rate.properties")).backlogRead()).isTrue();
        assertThat(Workload.read(dir.resolve("compare-fixed-rate.properties")).fixedRate()).isTrue();
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheLimit(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Workload.of(Map.of("record-size", "4"))).hasMessage("record-size 4 must be in [8, 10485760]");
        assertThatThrownBy(() -> Workload.of(Map.of("topics", "many"))).hasMessage("topics 'many' is not a whole number");
        assertThatThrownBy(() -> Workload.of(Map.of("acks", "2"))).hasMessage("acks '2' is not one of 0, 1, all");
        assertThatThrownBy(() -> Workload.of(Map.of("compression", "brotli")))
            .hasMessage("compression 'brotli' is not one of none, gzip, snappy, lz4, zstd");
        assertThatThrownBy(() -> Workload.of(Map.of("key-distribution", "gauss")))
            .hasMessage("key-distribution 'gauss' is not one of none, uniform, zipf");
        assertThatThrownBy(() -> Workload.of(Map.of("duration", "10 years")))
            .hasMessage("duration '10 years' is not a duration like 500ms, 30s, 2m or 1h");
        assertThatThrownBy(() -> Workload.of(Map.of("duration", "0s"))).hasMessageContaining("duration PT0S must be between 1 second");
        assertThatThrownBy(() -> Workload.of(Map.of("producer-rate", "-3"))).hasMessageContaining("producer-rate -3.0 must be max or in");
        assertThatThrownBy(() -> Workload.of(Map.of("backlog-read", "yes"))).hasMessage("backlog-read 'yes' is not true or false");
        assertThatThrownBy(() -> Workload.of(Map.of("partitons-per-topic", "3"))).hasMessageContaining("unknown workload keys [partitons-per-topic]");
        assertThatThrownBy(() -> Workload.of(Map.of("name", "a/b"))).hasMessageContaining("name 'a/b' must be");
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "linger-ms = -1\n");
        assertThatThrownBy(() -> Workload.read(file)).hasMessage(file + ": linger-ms -1 must be in [0, 60000]");
    }

    @Test
    void zipfKeysFollowRankToThePowerOfMinusTheExponent() {
        int keys = 1000;
        KeyChooser chooser = new KeyChooser(KeyDistribution.ZIPF, keys, 1.0, 7);
        int[] counts = new int[keys];
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts[KeyChooser.indexOf(chooser.next())]++;
        }
        double harmonic = 0;
        for (int k = 1; k <= keys; k++) {
            harmonic += 1.0 / k;
        }
        // P(rank k) = 1 / (k * H(1000)): rank 1 takes ~13.4%, rank 2 half of that, rank 10 a tenth.
        assertThat(counts[0] / (double) draws).isCloseTo(1 / harmonic, org.assertj.core.data.Offset.offset(0.005));
        assertThat(counts[1] / (double) counts[0]).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.03));
        assertThat(counts[9] / (double) counts[0]).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void uniformKeysAreEvenAndNoneIsNull() {
        KeyChooser chooser = new KeyChooser(KeyDistribution.UNIFORM, 10, 1.0, 7);
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            counts[KeyChooser.indexOf(chooser.next())]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500);
        }
        assertThat(new KeyChooser(KeyDistribution.NONE, 10, 1.0, 7).next()).isNull();
        assertThatThrownBy(() -> new KeyChooser(KeyDistribution.UNIFORM, 0, 1.0, 7)).hasMessage("key-space 0 must be at least 1");
    }
}
