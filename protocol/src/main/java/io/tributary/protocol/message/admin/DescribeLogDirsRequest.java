package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * DescribeLogDirs request body (API key 35), versions 1-5, flexible from version 2. {@code topics} null: every
 * partition. Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeLogDirsRequest {
    private static final StructBuilder B = new StructBuilder("DescribeLogDirsRequest");
    public static final StructArrayField TOPICS = B.array("topics", "0+", DescribableLogDirTopic.SCHEMA).nullable("0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DESCRIBE_LOG_DIRS, B.build());

    private DescribeLogDirsRequest() {
    }

    /** An element of {@code topics} in DescribeLogDirsRequest. */
    public static final class DescribableLogDirTopic {
        private static final StructBuilder B = new StructBuilder("DescribableLogDirTopic");
        public static final StringField TOPIC = B.string("topic", "0+");
        public static final Int32ArrayField PARTITIONS = B.int32Array("partitions", "0+");
        public static final StructSchema SCHEMA = B.build();

        private DescribableLogDirTopic() {
        }
    }
}
