package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.protocol.ErrorCode;

/**
 * Turns an error code from an admin answer into the exception the operation completes with, named after what
 * was being done and to what: "Creating topic 'orders' failed: TOPIC_ALREADY_EXISTS (Topic 'orders' already
 * exists)". The part in parentheses is the broker's error message; for codes whose answers carry none
 * (DeleteGroups, OffsetCommit, OffsetDelete) it is a short explanation of the code instead.
 *
 * <p>The codes an operator meets most get their own class (with the topic or group and the broker's message as
 * fields); every other code becomes {@link ApiException#of}'s retriable or non-retriable exception with the same
 * message shape, so the code and the broker's words are never lost.
 */
final class AdminErrors {
    private AdminErrors() {
    }

    /** "{@code what} failed: CODE (detail)", the shape of every admin error message. */
    static String message(String what, ErrorCode code, String brokerMessage) {
        String detail = detail(code, brokerMessage);
        return what + " failed: " + code + (detail == null ? "" : " (" + detail + ")");
    }

    /** The broker's message, or when it sent none an explanation of the codes answers give without one. */
    private static String detail(ErrorCode code, String brokerMessage) {
        if (brokerMessage != null && !brokerMessage.isEmpty()) {
            return brokerMessage;
        }
        return switch (code) {
            case NON_EMPTY_GROUP -> "the group still has active members";
            case GROUP_ID_NOT_FOUND -> "no group of that id exists";
            case GROUP_SUBSCRIBED_TO_TOPIC -> "the group's active members consume this topic";
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS ->
                "the group has active members; an admin may change its offsets only while it has none";
            default -> null;
        };
    }

    private static TributaryException generic(ErrorCode code, String what, String brokerMessage) {
        return ApiException.of(code, what + " failed", detail(code, brokerMessage));
    }

    /** An error about a topic; {@code doing} is a gerund phrase such as "Creating". */
    static TributaryException forTopic(ErrorCode code, String doing, String topic, String brokerMessage) {
        String what = doing + " topic '" + topic + "'";
        String message = message(what, code, brokerMessage);
        return switch (code) {
            case TOPIC_ALREADY_EXISTS -> new TopicExistsException(topic, message, brokerMessage);
            case UNKNOWN_TOPIC_OR_PARTITION -> new UnknownTopicOrPartitionException(topic, message, brokerMessage);
            case INVALID_PARTITIONS -> new InvalidPartitionsException(topic, message, brokerMessage);
            case INVALID_CONFIG -> new InvalidConfigurationException("topic " + topic, message, brokerMessage);
            default -> generic(code, what, brokerMessage);
        };
    }

    /** An error about one partition; an unknown partition maps as in {@link #forTopic}. */
    static TributaryException forPartition(ErrorCode code, String doing, TopicPartition partition, String brokerMessage) {
        String what = doing + " partition " + partition;
        if (code == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
            return new UnknownTopicOrPartitionException(partition.topic(), message(what, code, brokerMessage), brokerMessage);
        }
        return generic(code, what, brokerMessage);
    }

    /**
     * An error about a group; {@code doing} may name more ("Committing the offset of partition orders-0 of").
     * The codes by which a coordinator refuses changes to a group that has members all become
     * {@link GroupNotEmptyException}, keeping the code answered.
     */
    static TributaryException forGroup(ErrorCode code, String doing, String groupId, String brokerMessage) {
        String what = doing + " group '" + groupId + "'";
        String message = message(what, code, brokerMessage);
        return switch (code) {
            case NON_EMPTY_GROUP, GROUP_SUBSCRIBED_TO_TOPIC, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS ->
                new GroupNotEmptyException(code, groupId, message, brokerMessage);
            case GROUP_ID_NOT_FOUND -> new GroupIdNotFoundException(groupId, message, brokerMessage);
            default -> generic(code, what, brokerMessage);
        };
    }

    /** An error about a config resource. */
    static TributaryException forResource(ErrorCode code, String doing, ConfigResource resource, String brokerMessage) {
        String what = doing + " " + resource;
        String message = message(what, code, brokerMessage);
        return switch (code) {
            case INVALID_CONFIG -> new InvalidConfigurationException(resource.toString(), message, brokerMessage);
            case UNKNOWN_TOPIC_OR_PARTITION -> new UnknownTopicOrPartitionException(resource.name(), message, brokerMessage);
            default -> generic(code, what, brokerMessage);
        };
    }
}
