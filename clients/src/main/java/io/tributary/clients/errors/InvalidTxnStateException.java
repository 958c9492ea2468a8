package io.tributary.clients.errors;

import io.tributary.protocol.ErrorCode;

/**
 * The transaction coordinator found the request out of place for the transaction's state
 * (INVALID_TXN_STATE). Fatal for the producer, as in Kafka's client.
 */
public class InvalidTxnStateException extends ApiException {
    public InvalidTxnStateException(String message) {
        super(ErrorCode.INVALID_TXN_STATE, message);
    }
}
