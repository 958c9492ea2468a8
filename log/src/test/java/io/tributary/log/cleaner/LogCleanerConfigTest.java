package io.tributary.log.cleaner;

import io.tributary.config.ConfigDefinition;
import io.tributary.log.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cleaner's settings have one set of bounds, whether they come from a properties map or from code. */
class LogCleanerConfigTest {
    private static LogCleanerConfig parsed(Map<String, String> settings) {
        return InvalidConfigException.refusing(() ->
            LogCleanerConfig.from(LogCleanerConfig.KEYS.parse(settings, ConfigDefinition.UnknownKeys.IGNORE)));
    }

    @Test
    void defaultsAreKafkasAndTheSameFromKeysOrCode() {
        LogCleanerConfig defaults = LogCleanerConfig.defaults();
        assertThat(defaults).isEqualTo(new LogCleanerConfig(true, 1, 128L * 1024 * 1024, 512 * 1024, 15_000));
        assertThat(parsed(Map.of())).isEqualTo(defaults);
        assertThat(parsed(Map.of("log.cleaner.threads", "4", "log.cleaner.backoff.ms", "20")))
            .isEqualTo(new LogCleanerConfig(true, 4, 128L * 1024 * 1024, 512 * 1024, 20));
    }

    @Test
    void aValueOutOfRangeIsRefusedAlikeFromAMapAndFromCode() {
        String threads = "Invalid value 65 for configuration log.cleaner.threads: a whole number in [1, 64]";
        assertThatThrownBy(() -> parsed(Map.of("log.cleaner.threads", "65"))).isInstanceOf(InvalidConfigException.class)
            .hasMessage(threads);
        assertThatThrownBy(() -> new LogCleanerConfig(true, 65, 1 << 20, 64 * 1024, 1)).isInstanceOf(InvalidConfigException.class)
            .hasMessage(threads);
        String io = "Invalid value 4095 for configuration log.cleaner.io.buffer.size: a whole number in [4096, 2147483647]";
        assertThatThrownBy(() -> parsed(Map.of("log.cleaner.io.buffer.size", "4095"))).hasMessage(io);
        assertThatThrownBy(() -> new LogCleanerConfig(true, 1, 1 << 20, 4095, 1)).hasMessage(io);
        assertThatThrownBy(() -> new LogCleanerConfig(true, 1, 1 << 20, 4096, 0)).isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("log.cleaner.backoff.ms");
    }

    @Test
    void eachThreadNeedsItsShareOfTheDedupeBuffer() {
        assertThatThrownBy(() -> parsed(Map.of("log.cleaner.threads", "4", "log.cleaner.dedupe.buffer.size", "4095")))
            .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                assertThat(e.key()).isEqualTo("log.cleaner.dedupe.buffer.size");
                assertThat(e.value()).isEqualTo(4095L);
            })
            .hasMessage("Invalid value 4095 for configuration log.cleaner.dedupe.buffer.size: each of the 4 cleaner threads "
                + "needs at least 1024 bytes");
        assertThat(parsed(Map.of("log.cleaner.threads", "4", "log.cleaner.dedupe.buffer.size", "4096")).dedupeBytesPerCleaner())
            .isEqualTo(1024);
    }
}
