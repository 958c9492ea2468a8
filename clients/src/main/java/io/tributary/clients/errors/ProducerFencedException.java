package io.tributary.clients.errors;

import io.tributary.protocol.ErrorCode;

/**
 * Another producer with the same {@code transactional.id} has started (or the coordinator aborted this
 * producer's transaction and bumped its epoch): this producer is a zombie and can do nothing more. Fatal: close
 * the producer. Kafka's name; the broker's PRODUCER_FENCED, and INVALID_PRODUCER_EPOCH from a transaction
 * coordinator's call.
 */
public class ProducerFencedException extends ApiException {
    public ProducerFencedException(String message) {
        super(ErrorCode.PRODUCER_FENCED, message);
    }
}
