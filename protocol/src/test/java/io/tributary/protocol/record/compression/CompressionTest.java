package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Levels: Kafka's ranges and defaults, checked against kafka-clients itself. */
class CompressionTest {
    private static final org.apache.kafka.common.record.internal.CompressionType KAFKA_GZIP =
        org.apache.kafka.common.record.internal.CompressionType.GZIP;
    private static final org.apache.kafka.common.record.internal.CompressionType KAFKA_LZ4 =
        org.apache.kafka.common.record.internal.CompressionType.LZ4;
    private static final org.apache.kafka.common.record.internal.CompressionType KAFKA_ZSTD =
        org.apache.kafka.common.record.internal.CompressionType.ZSTD;

    @Test
    void rangesAndDefaultsAreKafkas() {
        assertThat(new int[] {Compression.GZIP_MIN_LEVEL, Compression.GZIP_MAX_LEVEL, Compression.GZIP_DEFAULT_LEVEL})
            .containsExactly(KAFKA_GZIP.minLevel(), KAFKA_GZIP.maxLevel(), KAFKA_GZIP.defaultLevel());
        assertThat(new int[] {Compression.LZ4_MIN_LEVEL, Compression.LZ4_MAX_LEVEL, Compression.LZ4_DEFAULT_LEVEL})
            .containsExactly(KAFKA_LZ4.minLevel(), KAFKA_LZ4.maxLevel(), KAFKA_LZ4.defaultLevel());
        assertThat(new int[] {Compression.ZSTD_MIN_LEVEL, Compression.ZSTD_MAX_LEVEL, Compression.ZSTD_DEFAULT_LEVEL})
            .containsExactly(KAFKA_ZSTD.minLevel(), KAFKA_ZSTD.maxLevel(), KAFKA_ZSTD.defaultLevel());
    }

    @Test
    void defaultsPerType() {
        assertThat(Compression.of(CompressionType.GZIP).level()).isEqualTo(-1);
        assertThat(Compression.of(CompressionType.LZ4).level()).isEqualTo(9);
        assertThat(Compression.of(CompressionType.ZSTD).level()).isEqualTo(3);
        assertThat(Compression.of(CompressionType.SNAPPY).level()).isEqualTo(Compression.NO_LEVEL);
        assertThat(Compression.of(CompressionType.NONE)).isSameAs(Compression.NONE);
        for (CompressionType type : CompressionType.values()) {
            assertThat(Compression.of(type).type()).isEqualTo(type);
        }
    }

    @Test
    void boundariesAreAcceptedAndTheNextValueRefusedNamingKeyValueAndRange() {
        assertThat(Compression.gzip(1).level()).isEqualTo(1);
        assertThat(Compression.gzip(9).level()).isEqualTo(9);
        assertThat(Compression.gzip(-1).level()).isEqualTo(-1);
        assertThatThrownBy(() -> Compression.gzip(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("compression.gzip.level 0 is out of range [1, 9]");
        assertThatThrownBy(() -> Compression.gzip(10)).hasMessageContaining("compression.gzip.level 10");

        assertThat(Compression.lz4(1).level()).isEqualTo(1);
        assertThat(Compression.lz4(17).level()).isEqualTo(17);
        assertThatThrownBy(() -> Compression.lz4(0)).hasMessageContaining("compression.lz4.level 0 is out of range [1, 17]");
        assertThatThrownBy(() -> Compression.lz4(18)).hasMessageContaining("compression.lz4.level 18");

        assertThat(Compression.zstd(-131072).level()).isEqualTo(-131072);
        assertThat(Compression.zstd(22).level()).isEqualTo(22);
        assertThatThrownBy(() -> Compression.zstd(-131073))
            .hasMessageContaining("compression.zstd.level -131073 is out of range [-131072, 22]");
        assertThatThrownBy(() -> Compression.zstd(23)).hasMessageContaining("compression.zstd.level 23");
    }

    @Test
    void codecsWithoutLevelsRefuseOne() {
        assertThat(Compression.of(CompressionType.SNAPPY, Compression.NO_LEVEL)).isEqualTo(Compression.snappy());
        assertThatThrownBy(() -> Compression.of(CompressionType.SNAPPY, 3))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snappy has no compression level, got 3");
        assertThatThrownBy(() -> Compression.of(CompressionType.NONE, 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none has no compression level");
        assertThat(Compression.of(CompressionType.ZSTD, 7)).isEqualTo(Compression.zstd(7)).isNotEqualTo(Compression.zstd(8));
    }

    @Test
    void decompressorLimitsAreChecked() {
        assertThat(new Decompressor(0).maxDecompressedBytes()).isZero();
        assertThat(Decompressor.DEFAULT.maxDecompressedBytes()).isEqualTo(64 * 1024 * 1024);
        assertThatThrownBy(() -> new Decompressor(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-1");
        assertThatThrownBy(() -> Decompressor.DEFAULT.decompress(CompressionType.NONE, java.nio.ByteBuffer.allocate(1)))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
