package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * OffsetCommit response body (API key 8), versions 2-10, flexible from version 8.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class OffsetCommitResponse {
    private static final StructBuilder B = new StructBuilder("OffsetCommitResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "3+").ignorable();
    public static final StructArrayField TOPICS = B.array("topics", "2+", OffsetCommitResponseTopic.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.OFFSET_COMMIT, B.build());

    private OffsetCommitResponse() {
    }

    /** An element of {@code topics} in OffsetCommitResponse. */
    public static final class OffsetCommitResponseTopic {
        private static final StructBuilder B = new StructBuilder("OffsetCommitResponseTopic");
        public static final StringField NAME = B.string("name", "2-9").ignorable();
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "10+").ignorable();
        public static final StructArrayField PARTITIONS = B.array("partitions", "2+", OffsetCommitResponsePartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private OffsetCommitResponseTopic() {
        }
    }

    /** An element of {@code partitions} in OffsetCommitResponseTopic. */
    public static final class OffsetCommitResponsePartition {
        private static final StructBuilder B = new StructBuilder("OffsetCommitResponsePartition");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "2+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "2+");
        public static final StructSchema SCHEMA = B.build();

        private OffsetCommitResponsePartition() {
        }
    }
}
