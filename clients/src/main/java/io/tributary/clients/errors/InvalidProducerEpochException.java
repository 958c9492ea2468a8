package io.tributary.clients.errors;

import io.tributary.protocol.ErrorCode;

/**
 * A partition leader refused a transactional produce with an epoch older than the producer's latest
 * (INVALID_PRODUCER_EPOCH from Produce, KIP-588). Abortable: abort the transaction; the producer may go on.
 */
public class InvalidProducerEpochException extends ApiException {
    public InvalidProducerEpochException(String message) {
        super(ErrorCode.INVALID_PRODUCER_EPOCH, message);
    }
}
