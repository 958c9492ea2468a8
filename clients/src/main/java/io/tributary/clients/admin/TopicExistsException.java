package io.tributary.clients.admin;

import io.tributary.clients.errors.ApiException;
import io.tributary.protocol.ErrorCode;

/** A topic could not be created because one of that name exists (TOPIC_ALREADY_EXISTS). */
public final class TopicExistsException extends ApiException {
    private final String topic;
    private final String brokerMessage;

    TopicExistsException(String topic, String message, String brokerMessage) {
        super(ErrorCode.TOPIC_ALREADY_EXISTS, message);
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
