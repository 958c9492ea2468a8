package io.tributary.protocol;

import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error Kafka defines, with the same code, name and retriability. */
class ErrorCodeTest {
    @Test
    void matchesKafkasErrors() {
        assertThat(ErrorCode.values()).hasSameSizeAs(Errors.values());
        for (Errors kafka : Errors.values()) {
            ErrorCode ours = ErrorCode.forCode(kafka.code());
            assertThat(ours.name()).as("code %d", kafka.code()).isEqualTo(kafka.name());
            assertThat(ours.code()).isEqualTo(kafka.code());
            assertThat(ours.isRetriable()).as("%s retriable", kafka).isEqualTo(kafka.exception() instanceof RetriableException);
        }
    }

    @Test
    void unknownCodesAreUnknownServerError() {
        assertThat(ErrorCode.forCode((short) 30000)).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
        assertThat(ErrorCode.forCode((short) -2)).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
        assertThat(ErrorCode.forCode((short) 0)).isEqualTo(ErrorCode.NONE);
    }
}
