package io.tributary.server.admin;

import io.tributary.protocol.ErrorCode;

/**
 * A refusal found while checking an admin request, carrying the Kafka error it is answered with. Thrown
 * only inside this package and always caught per topic or per resource, so one bad entry never fails the
 * others of the same request.
 */
final class AdminException extends RuntimeException {
    private final ErrorCode error;

    AdminException(ErrorCode error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    ErrorCode error() {
        return error;
    }
}
