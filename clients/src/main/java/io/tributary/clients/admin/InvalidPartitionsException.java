package io.tributary.clients.admin;

import io.tributary.clients.errors.ApiException;
import io.tributary.protocol.ErrorCode;

/**
 * A partition count was refused (INVALID_PARTITIONS): not positive when creating a topic, or not more than the
 * topic has when adding partitions. The broker's message names the count it refused.
 */
public final class InvalidPartitionsException extends ApiException {
    private final String topic;
    private final String brokerMessage;

    InvalidPartitionsException(String topic, String message, String brokerMessage) {
        super(ErrorCode.INVALID_PARTITIONS, message);
        this.topic = topic;
        this.brokerMessage = brokerMessage;
    }

    public String topic() {
        return topic;
    }

    /** What the broker said, or null if it said nothing beyond the code. */
    public String brokerMessage() {
        return brokerMessage;
    }
}
