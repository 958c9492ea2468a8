package io.tributary.clients.consumer.assignor;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.wire.WireReader;
import io.tributary.protocol.message.wire.WireWriter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The consumer's embedded protocol (protocol type "consumer"): the subscription a member puts in JoinGroup and
 * the assignment the leader puts in SyncGroup, byte for byte as Kafka's {@code ConsumerProtocol} writes them.
 *
 * <p>Both are an int16 version followed by a body in the classic (non-flexible) encoding:
 * <pre>
 * ConsumerProtocolSubscription
 *   v0+ topics           [string]          sorted
 *   v0+ user_data        nullable bytes
 *   v1+ owned_partitions [topic string, partitions [int32]]   sorted by topic, then partition
 *   v2+ generation_id    int32             -1 if none
 *   v3+ rack_id          nullable string
 * ConsumerProtocolAssignment (v0-v3 share one body)
 *   v0+ assigned_partitions [topic string, partitions [int32]]   topics in order of first appearance
 *   v0+ user_data        nullable bytes
 * </pre>
 * A version above 3 is read as version 3, as Kafka does: later versions may only append fields. A version below
 * 0, or a body that ends early, is refused with a {@link MalformedMessageException} naming the problem.
 */
public final class ConsumerProtocol {
    public static final String PROTOCOL_TYPE = "consumer";
    public static final short LATEST_VERSION = 3;

    /** An int16 string length (the smallest string) or an int32 array count. */
    private static final int MIN_STRING_SIZE = 2;
    private static final int MIN_TOPIC_PARTITIONS_SIZE = 2 + 4;

    private ConsumerProtocol() {
    }

    public static ByteBuffer encodeSubscription(Subscription subscription) {
        return encodeSubscription(subscription, LATEST_VERSION);
    }

    /** @throws IllegalArgumentException for a version outside 0-3 */
    public static ByteBuffer encodeSubscription(Subscription subscription, short version) {
        checkVersion(version, "subscription");
        List<String> topics = new ArrayList<>(subscription.topics());
        topics.sort(Comparator.naturalOrder());
        List<TopicPartition> owned = new ArrayList<>(subscription.ownedPartitions());
        owned.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        Map<String, List<Integer>> ownedByTopic = groupByTopic(owned);

        int size = 2 + 4;
        for (String topic : topics) {
            size += WireWriter.sizeOfString(topic, false);
        }
        size += WireWriter.sizeOfBytes(subscription.userData(), false);
        if (version >= 1) {
            size += sizeOfTopicPartitions(ownedByTopic);
        }
        if (version >= 2) {
            size += 4;
        }
        if (version >= 3) {
            size += WireWriter.sizeOfString(subscription.rackId(), false);
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        WireWriter out = new WireWriter(buffer);
        out.writeInt16(version);
        out.writeArrayLength(topics.size(), false);
        for (String topic : topics) {
            out.writeString(topic, false);
        }
        out.writeBytes(subscription.userData(), false);
        if (version >= 1) {
            writeTopicPartitions(ownedByTopic, out);
        }
        if (version >= 2) {
            out.writeInt32(subscription.generationId());
        }
        if (version >= 3) {
            out.writeString(subscription.rackId(), false);
        }
        return buffer.flip();
    }

    /**
     * Decodes a subscription from {@code buffer}'s remaining bytes (its position is not moved). User data is a
     * read-only slice of the buffer. Bytes after the fields this code knows are ignored, as Kafka ignores fields
     * of a newer version.
     */
    public static Subscription decodeSubscription(ByteBuffer buffer) {
        WireReader in = new WireReader(buffer.duplicate());
        short version = readVersion(in, "subscription");
        int topicCount = in.readArrayLength(false, false, MIN_STRING_SIZE);
        List<String> topics = new ArrayList<>(topicCount);
        for (int i = 0; i < topicCount; i++) {
            topics.add(in.readString(false, false));
        }
        ByteBuffer userData = in.readBytes(false, true);
        List<TopicPartition> owned = version >= 1 ? readTopicPartitions(in) : List.of();
        int generation = version >= 2 ? in.readInt32() : Subscription.NO_GENERATION;
        String rack = version >= 3 ? in.readString(false, true) : null;
        return new Subscription(topics, userData, owned, generation, rack, null);
    }

    public static ByteBuffer encodeAssignment(Assignment assignment) {
        return encodeAssignment(assignment, LATEST_VERSION);
    }

    /** @throws IllegalArgumentException for a version outside 0-3 */
    public static ByteBuffer encodeAssignment(Assignment assignment, short version) {
        checkVersion(version, "assignment");
        Map<String, List<Integer>> byTopic = groupByTopic(assignment.partitions());
        int size = 2 + sizeOfTopicPartitions(byTopic) + WireWriter.sizeOfBytes(assignment.userData(), false);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        WireWriter out = new WireWriter(buffer);
        out.writeInt16(version);
        writeTopicPartitions(byTopic, out);
        out.writeBytes(assignment.userData(), false);
        return buffer.flip();
    }

    /** Decodes an assignment from {@code buffer}'s remaining bytes (its position is not moved). */
    public static Assignment decodeAssignment(ByteBuffer buffer) {
        WireReader in = new WireReader(buffer.duplicate());
        readVersion(in, "assignment");
        List<TopicPartition> partitions = readTopicPartitions(in);
        ByteBuffer userData = in.readBytes(false, true);
        return new Assignment(partitions, userData);
    }

    /** Topics in order of first appearance, each with its partitions in the order given. */
    static Map<String, List<Integer>> groupByTopic(List<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        return byTopic;
    }

    static int sizeOfTopicPartitions(Map<String, List<Integer>> byTopic) {
        int size = 4;
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            size += WireWriter.sizeOfString(e.getKey(), false) + 4 + 4 * e.getValue().size();
        }
        return size;
    }

    static void writeTopicPartitions(Map<String, List<Integer>> byTopic, WireWriter out) {
        out.writeArrayLength(byTopic.size(), false);
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            out.writeString(e.getKey(), false);
            out.writeArrayLength(e.getValue().size(), false);
            for (int partition : e.getValue()) {
                out.writeInt32(partition);
            }
        }
    }

    static List<TopicPartition> readTopicPartitions(WireReader in) {
        int topicCount = in.readArrayLength(false, false, MIN_TOPIC_PARTITIONS_SIZE);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < topicCount; i++) {
            String topic = in.readString(false, false);
            int count = in.readArrayLength(false, false, 4);
            for (int j = 0; j < count; j++) {
                partitions.add(new TopicPartition(topic, in.readInt32()));
            }
        }
        return partitions;
    }

    private static short readVersion(WireReader in, String what) {
        if (in.remaining() < 2) {
            throw new MalformedMessageException("consumer " + what + " of " + in.remaining()
                + " bytes is too short for its int16 version");
        }
        short version = in.readInt16();
        if (version < 0) {
            throw new MalformedMessageException("consumer " + what + " version " + version + " is negative");
        }
        return (short) Math.min(version, LATEST_VERSION);
    }

    private static void checkVersion(short version, String what) {
        if (version < 0 || version > LATEST_VERSION) {
            throw new IllegalArgumentException("Consumer " + what + " version " + version + " is out of range [0, "
                + LATEST_VERSION + "]");
        }
    }
}
