package io.tributary.clients.admin;

import io.tributary.clients.errors.RetriableApiException;
import io.tributary.protocol.ErrorCode;

/**
 * The topic (or the partition of it) does not exist (UNKNOWN_TOPIC_OR_PARTITION). Retriable by its Kafka code,
 * since a topic being created may not be known everywhere yet, but the admin client does not retry it: an
 * operator naming a topic that does not exist wants to hear so at once.
 */
public final class UnknownTopicOrPartitionException extends RetriableApiException {
    private final String topic;
    private final String brokerMessage;

    UnknownTopicOrPartitionException(String topic, String message, String brokerMessage) {
        super(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message);
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
