package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * DescribeLogDirs response body (API key 35), versions 1-5, flexible from version 2.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeLogDirsResponse {
    private static final StructBuilder B = new StructBuilder("DescribeLogDirsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "3+").ignorable();
    public static final StructArrayField RESULTS = B.array("results", "0+", DescribeLogDirsResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DESCRIBE_LOG_DIRS, B.build());

    private DescribeLogDirsResponse() {
    }

    /** An element of {@code results} in DescribeLogDirsResponse. */
    public static final class DescribeLogDirsResult {
        private static final StructBuilder B = new StructBuilder("DescribeLogDirsResult");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField LOG_DIR = B.string("log_dir", "0+");
        public static final StructArrayField TOPICS = B.array("topics", "0+", DescribeLogDirsTopic.SCHEMA);
        public static final Int64Field TOTAL_BYTES = B.int64("total_bytes", "4+").defaultValue(-1).ignorable();
        public static final Int64Field USABLE_BYTES = B.int64("usable_bytes", "4+").defaultValue(-1).ignorable();
        public static final BoolField IS_CORDONED = B.bool("is_cordoned", "5+").ignorable();
        public static final StructSchema SCHEMA = B.build();

        private DescribeLogDirsResult() {
        }
    }

    /** An element of {@code topics} in DescribeLogDirsResult. */
    public static final class DescribeLogDirsTopic {
        private static final StructBuilder B = new StructBuilder("DescribeLogDirsTopic");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", DescribeLogDirsPartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private DescribeLogDirsTopic() {
        }
    }

    /** An element of {@code partitions} in DescribeLogDirsTopic. */
    public static final class DescribeLogDirsPartition {
        private static final StructBuilder B = new StructBuilder("DescribeLogDirsPartition");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int64Field PARTITION_SIZE = B.int64("partition_size", "0+");
        public static final Int64Field OFFSET_LAG = B.int64("offset_lag", "0+");
        public static final BoolField IS_FUTURE_KEY = B.bool("is_future_key", "0+");
        public static final StructSchema SCHEMA = B.build();

        private DescribeLogDirsPartition() {
        }
    }
}
