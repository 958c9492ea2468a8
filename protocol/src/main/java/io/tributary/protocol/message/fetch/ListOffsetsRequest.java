package io.tributary.protocol.message.fetch;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * ListOffsets request body (API key 2), versions 1-11, flexible from version 6.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ListOffsetsRequest {
    private static final StructBuilder B = new StructBuilder("ListOffsetsRequest");
    public static final Int32Field REPLICA_ID = B.int32("replica_id", "1+");
    public static final Int8Field ISOLATION_LEVEL = B.int8("isolation_level", "2+");
    public static final StructArrayField TOPICS = B.array("topics", "1+", ListOffsetsTopic.SCHEMA);
    public static final Int32Field TIMEOUT_MS = B.int32("timeout_ms", "10+").ignorable();
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.LIST_OFFSETS, B.build());

    private ListOffsetsRequest() {
    }

    /** An element of {@code topics} in ListOffsetsRequest. */
    public static final class ListOffsetsTopic {
        private static final StructBuilder B = new StructBuilder("ListOffsetsTopic");
        public static final StringField NAME = B.string("name", "1+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "1+", ListOffsetsPartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private ListOffsetsTopic() {
        }
    }

    /** An element of {@code partitions} in ListOffsetsTopic. */
    public static final class ListOffsetsPartition {
        private static final StructBuilder B = new StructBuilder("ListOffsetsPartition");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "1+");
        public static final Int32Field CURRENT_LEADER_EPOCH = B.int32("current_leader_epoch", "4+").defaultValue(-1).ignorable();
        public static final Int64Field TIMESTAMP = B.int64("timestamp", "1+");
        public static final StructSchema SCHEMA = B.build();

        private ListOffsetsPartition() {
        }
    }
}
