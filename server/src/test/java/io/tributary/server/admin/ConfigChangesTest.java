package io.tributary.server.admin;

import io.tributary.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.tributary.server.admin.ConfigChanges.APPEND;
import static io.tributary.server.admin.ConfigChanges.DELETE;
import static io.tributary.server.admin.ConfigChanges.SET;
import static io.tributary.server.admin.ConfigChanges.SUBTRACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigChangesTest {
    private static final Map<String, String> CURRENT = Map.of("retention.ms", "1000", "segment.bytes", "4096");

    private static ConfigChanges.Operation op(String name, byte op, String value) {
        return new ConfigChanges.Operation(name, op, value);
    }

    private static Map<String, String> apply(ConfigChanges.Operation... operations) {
        return ConfigChanges.incremental(Arrays.asList(operations)).apply(CURRENT);
    }

    @Test
    void setAndDeleteTouchOnlyTheKeysTheyName() {
        assertThat(apply(op("flush.ms", SET, "10"), op("retention.ms", DELETE, null)))
            .isEqualTo(Map.of("segment.bytes", "4096", "flush.ms", "10"));
        assertThat(apply(op("segment.bytes", SET, "8192"))).isEqualTo(Map.of("retention.ms", "1000", "segment.bytes", "8192"));
        assertThat(apply(op("flush.messages", DELETE, null))).as("deleting an absent override").isEqualTo(CURRENT);
        assertThat(apply(op("retention.ms", DELETE, "ignored"))).isEqualTo(Map.of("segment.bytes", "4096"));
    }

    @Test
    void requestMistakesAreInvalidRequest() {
        assertRefused(() -> apply(op("retention.ms", SET, "1"), op("retention.ms", DELETE, null)),
            ErrorCode.INVALID_REQUEST, "Error due to duplicate config keys : retention.ms");
        assertRefused(() -> apply(op("retention.ms", SET, null)),
            ErrorCode.INVALID_REQUEST, "Null value not supported for : SET:retention.ms");
        assertRefused(() -> apply(op("retention.ms", (byte) 7, "1")),
            ErrorCode.INVALID_REQUEST, "Unknown config operation 7 for retention.ms");
        assertRefused(() -> apply(op("retention.ms", (byte) -1, "1")), ErrorCode.INVALID_REQUEST, "operation -1");
    }

    @Test
    void listOperationsAndUnknownKeysAreInvalidConfig() {
        assertRefused(() -> apply(op("segment.bytes", APPEND, "1")),
            ErrorCode.INVALID_CONFIG, "Config value append is not allowed for config key: segment.bytes");
        assertRefused(() -> apply(op("segment.bytes", SUBTRACT, "1")),
            ErrorCode.INVALID_CONFIG, "Config value subtract is not allowed for config key: segment.bytes");
        // compression.type was the unknown key here until it became a topic key (issue 19); message.downconversion.enable
        // left Kafka in 4.0 and stays unknown.
        assertRefused(() -> apply(op("message.downconversion.enable", SET, "true")), ErrorCode.INVALID_CONFIG,
            "Unknown topic config name: message.downconversion.enable (this broker's topic configs are ");
        assertRefused(() -> apply(op("message.downconversion.enable", DELETE, null)), ErrorCode.INVALID_CONFIG,
            "message.downconversion.enable");
    }

    @Test
    void aBadOperationRefusesTheWholeResourceBeforeAnythingIsComputed() {
        assertThatThrownBy(() -> ConfigChanges.incremental(List.of(op("flush.ms", SET, "10"), op("segment.ms", APPEND, "1"))))
            .isInstanceOf(AdminException.class);
    }

    @Test
    void wholesaleReplacementAndCreationCheckTheRequest() {
        assertThat(ConfigChanges.replacement(List.of(new ConfigChanges.Entry("flush.ms", "5"))))
            .isEqualTo(Map.of("flush.ms", "5"));
        assertRefused(() -> ConfigChanges.replacement(List.of(new ConfigChanges.Entry("flush.ms", "5"),
            new ConfigChanges.Entry("flush.ms", "6"))), ErrorCode.INVALID_REQUEST, "duplicate config keys : flush.ms");
        assertRefused(() -> ConfigChanges.replacement(List.of(new ConfigChanges.Entry("flush.ms", null))),
            ErrorCode.INVALID_REQUEST, "Null value not supported for : flush.ms");
        assertRefused(() -> ConfigChanges.creation(List.of(new ConfigChanges.Entry("flush.ms", null))),
            ErrorCode.INVALID_CONFIG, "Null value not supported for topic configs: flush.ms");
        // min.insync.replicas was the unknown key here until it became a topic key (issue 19).
        assertRefused(() -> ConfigChanges.creation(List.of(new ConfigChanges.Entry("message.downconversion.enable", "true"))),
            ErrorCode.INVALID_CONFIG, "message.downconversion.enable");
    }

    private static void assertRefused(Runnable call, ErrorCode error, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AdminException.class, e -> {
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
