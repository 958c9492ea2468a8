package io.tributary.server.admin;

import io.tributary.config.ConfigException;
import io.tributary.log.LogStorageException;
import io.tributary.log.TopicException;
import io.tributary.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcome of one topic or resource of an admin request: an error code and the message that goes with
 * it in the response (null on success). Known refusals keep their own message, which names the offending
 * value; anything unexpected is logged here and answered as UNKNOWN_SERVER_ERROR.
 */
record ApiError(ErrorCode error, String message) {
    private static final Logger log = LoggerFactory.getLogger(ApiError.class);

    static final ApiError NONE = new ApiError(ErrorCode.NONE, null);

    boolean isFailure() {
        return error != ErrorCode.NONE;
    }

    /** The error a refusal is answered with; {@code what} names the operation for the log of unexpected failures. */
    static ApiError from(RuntimeException e, String what) {
        if (e instanceof AdminException admin) {
            return new ApiError(admin.error(), admin.getMessage());
        }
        if (e instanceof TopicException topic) {
            ErrorCode code = switch (topic.reason()) {
                case UNKNOWN_TOPIC_OR_PARTITION -> ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
                case TOPIC_ALREADY_EXISTS -> ErrorCode.TOPIC_ALREADY_EXISTS;
                case INVALID_TOPIC -> ErrorCode.INVALID_TOPIC_EXCEPTION;
                case INVALID_PARTITIONS -> ErrorCode.INVALID_PARTITIONS;
            };
            return new ApiError(code, topic.getMessage());
        }
        if (e instanceof ConfigException) { // InvalidConfigException and any other refusal of a config key
            return new ApiError(ErrorCode.INVALID_CONFIG, e.getMessage());
        }
        if (e instanceof LogStorageException) {
            log.error("{} failed on storage", what, e);
            return new ApiError(ErrorCode.KAFKA_STORAGE_ERROR, what + " failed on storage: " + e.getMessage());
        }
        log.error("{} failed unexpectedly", what, e);
        return new ApiError(ErrorCode.UNKNOWN_SERVER_ERROR, what + " failed: " + e);
    }
}
