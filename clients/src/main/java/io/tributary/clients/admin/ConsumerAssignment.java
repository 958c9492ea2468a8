package io.tributary.clients.admin;

import io.tributary.clients.TopicPartition;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.wire.WireReader;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the partitions out of a member's assignment in a consumer group (protocol type "consumer"), as
 * DescribeGroups returns it: the bytes Kafka's {@code ConsumerProtocol} writes, in the classic encoding:
 * <pre>
 * int16 version                 0-3 (later versions may only append fields)
 * int32 topic count, then per topic:
 *   int16 length + UTF-8 name, int32 partition count, int32 partitions...
 * nullable bytes user_data      (not read: the admin has no use for it)
 * </pre>
 * Design note: only the admin's read of an assignment lives here; the consumer's own encoder and decoder are
 * in the consumer's assignor package, and the two should become one when both are merged.
 */
final class ConsumerAssignment {
    static final String PROTOCOL_TYPE = "consumer";
    /** An int16 string length (the shortest topic name) plus an int32 partition count. */
    private static final int MIN_TOPIC_SIZE = 2 + 4;

    private ConsumerAssignment() {
    }

    /**
     * The assigned partitions, in the order written; empty for an empty assignment (a member still joining).
     *
     * @throws MalformedMessageException naming what is wrong, for bytes that are not a consumer assignment
     */
    static List<TopicPartition> partitions(ByteBuffer assignment) {
        if (assignment == null || !assignment.hasRemaining()) {
            return List.of();
        }
        WireReader in = new WireReader(assignment.duplicate());
        short version = in.readInt16();
        if (version < 0) {
            throw new MalformedMessageException("consumer assignment version " + version + " is negative");
        }
        int topics = in.readArrayLength(false, false, MIN_TOPIC_SIZE);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            String topic = in.readString(false, false);
            int count = in.readArrayLength(false, false, 4);
            for (int i = 0; i < count; i++) {
                int partition = in.readInt32();
                if (partition < 0) {
                    throw new MalformedMessageException("partition " + partition + " of topic " + topic + " is negative");
                }
                partitions.add(new TopicPartition(topic, partition));
            }
        }
        return partitions;
    }
}
