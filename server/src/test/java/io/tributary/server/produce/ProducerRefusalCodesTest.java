package io.tributary.server.produce;

import io.tributary.log.producer.ProducerRefusal;
import io.tributary.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire codes of the log's producer-rule refusals, by Produce version (the log knows no wire codes). */
class ProducerRefusalCodesTest {
    @Test
    void eachRefusalHasKafkasCodeAndUnknownProducerIdOnlyFromV5() {
        for (short version = 3; version <= 13; version++) {
            assertThat(ProduceHandler.errorOf(ProducerRefusal.Kind.FENCED_EPOCH, version)).isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
            assertThat(ProduceHandler.errorOf(ProducerRefusal.Kind.OUT_OF_ORDER_SEQUENCE, version))
                .isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
            assertThat(ProduceHandler.errorOf(ProducerRefusal.Kind.UNKNOWN_PRODUCER, version)).as("v%d", version)
                .isEqualTo(version >= 5 ? ErrorCode.UNKNOWN_PRODUCER_ID : ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        }
    }
}
