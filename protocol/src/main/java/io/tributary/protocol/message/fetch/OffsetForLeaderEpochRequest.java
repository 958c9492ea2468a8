package io.tributary.protocol.message.fetch;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * OffsetForLeaderEpoch request body (API key 23), versions 2-4, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class OffsetForLeaderEpochRequest {
    private static final StructBuilder B = new StructBuilder("OffsetForLeaderEpochRequest");
    /** -1 for a consumer, a broker id for a follower; -2 (Kafka's default) when the version has no field. */
    public static final Int32Field REPLICA_ID = B.int32("replica_id", "3+").defaultValue(-2).ignorable();
    public static final StructArrayField TOPICS = B.array("topics", "0+", OffsetForLeaderTopic.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.OFFSET_FOR_LEADER_EPOCH, B.build());

    private OffsetForLeaderEpochRequest() {
    }

    /** An element of {@code topics} in OffsetForLeaderEpochRequest. */
    public static final class OffsetForLeaderTopic {
        private static final StructBuilder B = new StructBuilder("OffsetForLeaderTopic");
        public static final StringField TOPIC = B.string("topic", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", OffsetForLeaderPartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private OffsetForLeaderTopic() {
        }
    }

    /** An element of {@code partitions} in OffsetForLeaderTopic. */
    public static final class OffsetForLeaderPartition {
        private static final StructBuilder B = new StructBuilder("OffsetForLeaderPartition");
        public static final Int32Field PARTITION = B.int32("partition", "0+");
        public static final Int32Field CURRENT_LEADER_EPOCH = B.int32("current_leader_epoch", "2+").defaultValue(-1).ignorable();
        public static final Int32Field LEADER_EPOCH = B.int32("leader_epoch", "0+");
        public static final StructSchema SCHEMA = B.build();

        private OffsetForLeaderPartition() {
        }
    }
}
