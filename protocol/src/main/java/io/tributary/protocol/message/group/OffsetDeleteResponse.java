package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * OffsetDelete response body (API key 47), versions 0-0, flexible from never.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class OffsetDeleteResponse {
    private static final StructBuilder B = new StructBuilder("OffsetDeleteResponse");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final StructArrayField TOPICS = B.array("topics", "0+", OffsetDeleteResponseTopic.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.OFFSET_DELETE, B.build());

    private OffsetDeleteResponse() {
    }

    /** An element of {@code topics} in OffsetDeleteResponse. */
    public static final class OffsetDeleteResponseTopic {
        private static final StructBuilder B = new StructBuilder("OffsetDeleteResponseTopic");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", OffsetDeleteResponsePartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private OffsetDeleteResponseTopic() {
        }
    }

    /** An element of {@code partitions} in OffsetDeleteResponseTopic. */
    public static final class OffsetDeleteResponsePartition {
        private static final StructBuilder B = new StructBuilder("OffsetDeleteResponsePartition");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StructSchema SCHEMA = B.build();

        private OffsetDeleteResponsePartition() {
        }
    }
}
