package io.tributary.protocol.message.fetch;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * ListOffsets response body (API key 2), versions 1-11, flexible from version 6.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ListOffsetsResponse {
    private static final StructBuilder B = new StructBuilder("ListOffsetsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "2+").ignorable();
    public static final StructArrayField TOPICS = B.array("topics", "1+", ListOffsetsTopicResponse.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.LIST_OFFSETS, B.build());

    private ListOffsetsResponse() {
    }

    /** An element of {@code topics} in ListOffsetsResponse. */
    public static final class ListOffsetsTopicResponse {
        private static final StructBuilder B = new StructBuilder("ListOffsetsTopicResponse");
        public static final StringField NAME = B.string("name", "1+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "1+", ListOffsetsPartitionResponse.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private ListOffsetsTopicResponse() {
        }
    }

    /** An element of {@code partitions} in ListOffsetsTopicResponse. */
    public static final class ListOffsetsPartitionResponse {
        private static final StructBuilder B = new StructBuilder("ListOffsetsPartitionResponse");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "1+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "1+");
        public static final Int64Field TIMESTAMP = B.int64("timestamp", "1+").defaultValue(-1L);
        public static final Int64Field OFFSET = B.int64("offset", "1+").defaultValue(-1L);
        public static final Int32Field LEADER_EPOCH = B.int32("leader_epoch", "4+").defaultValue(-1);
        public static final StructSchema SCHEMA = B.build();

        private ListOffsetsPartitionResponse() {
        }
    }
}
