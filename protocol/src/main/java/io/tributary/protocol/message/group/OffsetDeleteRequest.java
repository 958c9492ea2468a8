package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * OffsetDelete request body (API key 47), versions 0-0, flexible from never.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class OffsetDeleteRequest {
    private static final StructBuilder B = new StructBuilder("OffsetDeleteRequest");
    public static final StringField GROUP_ID = B.string("group_id", "0+");
    public static final StructArrayField TOPICS = B.array("topics", "0+", OffsetDeleteRequestTopic.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.OFFSET_DELETE, B.build());

    private OffsetDeleteRequest() {
    }

    /** An element of {@code topics} in OffsetDeleteRequest. */
    public static final class OffsetDeleteRequestTopic {
        private static final StructBuilder B = new StructBuilder("OffsetDeleteRequestTopic");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", OffsetDeleteRequestPartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private OffsetDeleteRequestTopic() {
        }
    }

    /** An element of {@code partitions} in OffsetDeleteRequestTopic. */
    public static final class OffsetDeleteRequestPartition {
        private static final StructBuilder B = new StructBuilder("OffsetDeleteRequestPartition");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final StructSchema SCHEMA = B.build();

        private OffsetDeleteRequestPartition() {
        }
    }
}
