package io.tributary.clients.errors;

import io.tributary.protocol.ErrorCode;

/**
 * {@code transaction.timeout.ms} is larger than the broker's {@code transaction.max.timeout.ms} (or not
 * positive): InitProducerId answered INVALID_TRANSACTION_TIMEOUT, thrown by {@code initTransactions}. Fatal.
 */
public class InvalidTxnTimeoutException extends ApiException {
    public InvalidTxnTimeoutException(String message) {
        super(ErrorCode.INVALID_TRANSACTION_TIMEOUT, message);
    }
}
