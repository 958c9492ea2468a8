package io.tributary.log;

/**
 * A topic-level request the log manager refuses; {@link #reason()} says which Kafka error it is on the
 * wire, the message names the topic and the offending value.
 */
public class TopicException extends RuntimeException {
    /** The Kafka error each refusal maps to. */
    public enum Reason {
        /** UNKNOWN_TOPIC_OR_PARTITION */
        UNKNOWN_TOPIC_OR_PARTITION,
        /** TOPIC_ALREADY_EXISTS */
        TOPIC_ALREADY_EXISTS,
        /** INVALID_TOPIC_EXCEPTION */
        INVALID_TOPIC,
        /** INVALID_PARTITIONS */
        INVALID_PARTITIONS
    }

    private final Reason reason;

    public TopicException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
