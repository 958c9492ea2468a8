package io.tributary.clients.errors;

import io.tributary.protocol.ErrorCode;

/**
 * A record (or batch) is larger than a limit: the producer's {@code max.request.size} or
 * {@code buffer.memory}, checked before anything is sent, or the broker's {@code max.message.bytes}
 * (MESSAGE_TOO_LARGE). The message names the size and the limit.
 */
public class RecordTooLargeException extends ApiException {
    public RecordTooLargeException(String message) {
        super(ErrorCode.MESSAGE_TOO_LARGE, message);
    }
}
