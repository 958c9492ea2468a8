package io.tributary.clients.errors;

import io.tributary.protocol.ErrorCode;

/**
 * An exception that carries the Kafka error code a broker answered with. Implemented by
 * {@link ApiException} (codes a retry cannot fix) and {@link RetriableApiException} (codes that may clear up),
 * so a caller can catch by retriability and still read the code.
 */
public interface BrokerError {
    ErrorCode errorCode();
}
