package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * OffsetFetch response body (API key 9), versions 1-10, flexible from version 6.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class OffsetFetchResponse {
    private static final StructBuilder B = new StructBuilder("OffsetFetchResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "3+").ignorable();
    public static final StructArrayField TOPICS = B.array("topics", "1-7", OffsetFetchResponseTopic.SCHEMA);
    public static final Int16Field ERROR_CODE = B.int16("error_code", "2-7").ignorable();
    public static final StructArrayField GROUPS = B.array("groups", "8+", OffsetFetchResponseGroup.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.OFFSET_FETCH, B.build());

    private OffsetFetchResponse() {
    }

    /** An element of {@code topics} in OffsetFetchResponse. */
    public static final class OffsetFetchResponseTopic {
        private static final StructBuilder B = new StructBuilder("OffsetFetchResponseTopic");
        public static final StringField NAME = B.string("name", "1-7");
        public static final StructArrayField PARTITIONS = B.array("partitions", "1-7", OffsetFetchResponsePartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private OffsetFetchResponseTopic() {
        }
    }

    /** An element of {@code partitions} in OffsetFetchResponseTopic. */
    public static final class OffsetFetchResponsePartition {
        private static final StructBuilder B = new StructBuilder("OffsetFetchResponsePartition");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "1-7");
        public static final Int64Field COMMITTED_OFFSET = B.int64("committed_offset", "1-7");
        public static final Int32Field COMMITTED_LEADER_EPOCH = B.int32("committed_leader_epoch", "5-7").defaultValue(-1).ignorable();
        public static final StringField METADATA = B.string("metadata", "1-7").nullable("1-7");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "1-7");
        public static final StructSchema SCHEMA = B.build();

        private OffsetFetchResponsePartition() {
        }
    }

    /** An element of {@code groups} in OffsetFetchResponse. */
    public static final class OffsetFetchResponseGroup {
        private static final StructBuilder B = new StructBuilder("OffsetFetchResponseGroup");
        public static final StringField GROUP_ID = B.string("group_id", "8+");
        public static final StructArrayField TOPICS = B.array("topics", "8+", OffsetFetchResponseTopics.SCHEMA);
        public static final Int16Field ERROR_CODE = B.int16("error_code", "8+");
        public static final StructSchema SCHEMA = B.build();

        private OffsetFetchResponseGroup() {
        }
    }

    /** An element of {@code topics} in OffsetFetchResponseGroup. */
    public static final class OffsetFetchResponseTopics {
        private static final StructBuilder B = new StructBuilder("OffsetFetchResponseTopics");
        public static final StringField NAME = B.string("name", "8-9").ignorable();
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "10+").ignorable();
        public static final StructArrayField PARTITIONS = B.array("partitions", "8+", OffsetFetchResponsePartitions.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private OffsetFetchResponseTopics() {
        }
    }

    /** An element of {@code partitions} in OffsetFetchResponseTopics. */
    public static final class OffsetFetchResponsePartitions {
        private static final StructBuilder B = new StructBuilder("OffsetFetchResponsePartitions");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "8+");
        public static final Int64Field COMMITTED_OFFSET = B.int64("committed_offset", "8+");
        public static final Int32Field COMMITTED_LEADER_EPOCH = B.int32("committed_leader_epoch", "8+").defaultValue(-1);
        public static final StringField METADATA = B.string("metadata", "8+").nullable("8+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "8+");
        public static final StructSchema SCHEMA = B.build();

        private OffsetFetchResponsePartitions() {
        }
    }
}
