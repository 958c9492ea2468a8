package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * OffsetCommit request body (API key 8), versions 2-10, flexible from version 8.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class OffsetCommitRequest {
    private static final StructBuilder B = new StructBuilder("OffsetCommitRequest");
    public static final StringField GROUP_ID = B.string("group_id", "2+");
    public static final Int32Field GENERATION_ID_OR_MEMBER_EPOCH = B.int32("generation_id_or_member_epoch", "2+").defaultValue(-1);
    public static final StringField MEMBER_ID = B.string("member_id", "2+");
    public static final Int64Field RETENTION_TIME_MS = B.int64("retention_time_ms", "2-4").defaultValue(-1L).ignorable();
    public static final StringField GROUP_INSTANCE_ID = B.string("group_instance_id", "7+").nullable("7+").defaultValue(null);
    public static final StructArrayField TOPICS = B.array("topics", "2+", OffsetCommitRequestTopic.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.OFFSET_COMMIT, B.build());

    private OffsetCommitRequest() {
    }

    /** An element of {@code topics} in OffsetCommitRequest. */
    public static final class OffsetCommitRequestTopic {
        private static final StructBuilder B = new StructBuilder("OffsetCommitRequestTopic");
        public static final StringField NAME = B.string("name", "2-9").ignorable();
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "10+").ignorable();
        public static final StructArrayField PARTITIONS = B.array("partitions", "2+", OffsetCommitRequestPartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private OffsetCommitRequestTopic() {
        }
    }

    /** An element of {@code partitions} in OffsetCommitRequestTopic. */
    public static final class OffsetCommitRequestPartition {
        private static final StructBuilder B = new StructBuilder("OffsetCommitRequestPartition");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "2+");
        public static final Int64Field COMMITTED_OFFSET = B.int64("committed_offset", "2+");
        public static final Int32Field COMMITTED_LEADER_EPOCH = B.int32("committed_leader_epoch", "6+").defaultValue(-1).ignorable();
        public static final StringField COMMITTED_METADATA = B.string("committed_metadata", "2+").nullable("2+");
        public static final StructSchema SCHEMA = B.build();

        private OffsetCommitRequestPartition() {
        }
    }
}
