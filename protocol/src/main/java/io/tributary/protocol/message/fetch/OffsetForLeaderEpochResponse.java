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
 * OffsetForLeaderEpoch response body (API key 23), versions 2-4, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class OffsetForLeaderEpochResponse {
    private static final StructBuilder B = new StructBuilder("OffsetForLeaderEpochResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "2+").ignorable();
    public static final StructArrayField TOPICS = B.array("topics", "0+", OffsetForLeaderTopicResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.OFFSET_FOR_LEADER_EPOCH, B.build());

    private OffsetForLeaderEpochResponse() {
    }

    /** An element of {@code topics} in OffsetForLeaderEpochResponse. */
    public static final class OffsetForLeaderTopicResult {
        private static final StructBuilder B = new StructBuilder("OffsetForLeaderTopicResult");
        public static final StringField TOPIC = B.string("topic", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", EpochEndOffset.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private OffsetForLeaderTopicResult() {
        }
    }

    /** An element of {@code partitions} in OffsetForLeaderTopicResult. */
    public static final class EpochEndOffset {
        private static final StructBuilder B = new StructBuilder("EpochEndOffset");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final Int32Field PARTITION = B.int32("partition", "0+");
        public static final Int32Field LEADER_EPOCH = B.int32("leader_epoch", "1+").defaultValue(-1).ignorable();
        public static final Int64Field END_OFFSET = B.int64("end_offset", "0+").defaultValue(-1L);
        public static final StructSchema SCHEMA = B.build();

        private EpochEndOffset() {
        }
    }
}
