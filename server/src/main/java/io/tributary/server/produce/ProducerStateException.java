package io.tributary.server.produce;

import io.tributary.protocol.ErrorCode;

/**
 * A batch refused by the idempotent-producer rules (sequence gap, fenced epoch, unknown producer), with the
 * Kafka error code the partition is answered with. Nothing has been written when it is thrown.
 */
final class ProducerStateException extends RuntimeException {
    private final ErrorCode error;

    ProducerStateException(ErrorCode error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    ErrorCode error() {
        return error;
    }
}
