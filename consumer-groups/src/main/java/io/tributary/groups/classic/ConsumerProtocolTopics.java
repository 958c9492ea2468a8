package io.tributary.groups.classic;

import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.wire.WireReader;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the subscribed topics out of a Kafka consumer's subscription (the metadata of protocol type
 * "consumer"), the only part of that opaque blob the coordinator looks at: to refuse OffsetDelete for a topic
 * the group consumes, and to expire offsets of topics a stable group no longer consumes.
 *
 * <p>Format ({@code ConsumerProtocolSubscription}, versions 0-3, never flexible): int16 version, then an
 * int32 count of int16-length strings (the topics); what follows (user data, owned partitions, generation,
 * rack) is not read. Versions above 3 start the same way, as Kafka's compatibility rule for this
 * schema promises.
 */
public final class ConsumerProtocolTopics {
    public static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private ConsumerProtocolTopics() {
    }

    /** The topics, added to {@code into}. */
    public static void read(byte[] subscription, Set<String> into) {
        WireReader in = new WireReader(ByteBuffer.wrap(subscription));
        short version = in.readInt16();
        if (version < 0) {
            throw new MalformedMessageException("consumer subscription version " + version + " is negative");
        }
        int count = in.readArrayLength(false, false, 2);
        for (int i = 0; i < count; i++) {
            into.add(in.readString(false, false));
        }
    }

    public static Set<String> read(byte[] subscription) {
        Set<String> topics = new HashSet<>();
        read(subscription, topics);
        return topics;
    }
}
