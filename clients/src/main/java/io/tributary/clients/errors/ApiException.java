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
     * {@link RecordTooLargeException} for MESSAGE_TOO_LARGE, else an ApiException. The message is
     * {@code context}, the code's name and the broker's message when it sent one.
     *
     * @throws IllegalArgumentException for {@link ErrorCode#NONE}, which is no error
     */
    public static TributaryException of(ErrorCode code, String context, String brokerMessage) {
        if (code == ErrorCode.NONE) {
            throw new IllegalArgumentException("Error code NONE is not an error (" + context + ")");
        }
        String message = context + ": " + code + (brokerMessage == null || brokerMessage.isEmpty() ? "" : " (" + brokerMessage + ")");
        if (code == ErrorCode.MESSAGE_TOO_LARGE) {
            return new RecordTooLargeException(message);
        }
        return code.isRetriable() ? new RetriableApiException(code, message) : new ApiException(code, message);
    }
}
