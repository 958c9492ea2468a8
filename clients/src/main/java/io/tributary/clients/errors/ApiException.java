package io.tributary.clients.errors;

import io.tributary.protocol.ErrorCode;

/**
 * A broker answered with an error code that retrying the same request will not fix (MESSAGE_TOO_LARGE,
 * INVALID_CONFIG, OUT_OF_ORDER_SEQUENCE_NUMBER, ...). Use {@link #of} to turn any code into the right
 * exception class.
 */
public class ApiException extends TributaryException implements BrokerError {
    private final ErrorCode errorCode;

    public ApiException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    @Override
    public ErrorCode errorCode() {
        return errorCode;
    }

    /**
     * The exception for {@code code}: a {@link RetriableApiException} when the code is retriable, a
     * {@link RecordTooLargeException} for MESSAGE_TOO_LARGE, the transaction errors' own classes (PRODUCER_FENCED,
     * INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE, INVALID_TRANSACTION_TIMEOUT), else an ApiException. The message is
     * {@code context}, the code's name and the broker's message when it sent one.
     *
     * @throws IllegalArgumentException for {@link ErrorCode#NONE}, which is no error
     */
    public static TributaryException of(ErrorCode code, String context, String brokerMessage) {
        if (code == ErrorCode.NONE) {
            throw new IllegalArgumentException("Error code NONE is not an error (" + context + ")");
        }
        String message = context + ": " + code + (brokerMessage == null || brokerMessage.isEmpty() ? "" : " (" + brokerMessage + ")");
        switch (code) {
            case MESSAGE_TOO_LARGE:
                return new RecordTooLargeException(message);
            case PRODUCER_FENCED:
                return new ProducerFencedException(message);
            case INVALID_PRODUCER_EPOCH:
                return new InvalidProducerEpochException(message);
            case INVALID_TXN_STATE:
                return new InvalidTxnStateException(message);
            case INVALID_TRANSACTION_TIMEOUT:
                return new InvalidTxnTimeoutException(message);
            default:
                break;
        }
        return code.isRetriable() ? new RetriableApiException(code, message) : new ApiException(code, message);
    }
}
