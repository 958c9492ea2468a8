package io.tributary.clients.errors;

import io.tributary.protocol.ErrorCode;

/**
 * A broker answered with a retriable error code (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION,
 * COORDINATOR_LOAD_IN_PROGRESS, ...): the condition is expected to clear, usually after a metadata refresh.
 */
public class RetriableApiException extends RetriableException implements BrokerError {
    private final ErrorCode errorCode;

    public RetriableApiException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    @Override
    public ErrorCode errorCode() {
        return errorCode;
    }
}
