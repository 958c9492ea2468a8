package io.tributary.protocol.message.metadata;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructField;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * DescribeTopicPartitions request body (API key 75, KIP-966), version 0, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation. {@code cursor} is a
 * nullable struct: null asks for the first partition of the first topic.
 */
public final class DescribeTopicPartitionsRequest {
    private static final StructBuilder B = new StructBuilder("DescribeTopicPartitionsRequest");
    public static final StructArrayField TOPICS = B.array("topics", "0+", TopicRequest.SCHEMA);
    public static final Int32Field RESPONSE_PARTITION_LIMIT = B.int32("response_partition_limit", "0+").defaultValue(2000);
    public static final StructField CURSOR = B.struct("cursor", "0+", Cursor.SCHEMA).nullable("0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DESCRIBE_TOPIC_PARTITIONS, B.build());

    private DescribeTopicPartitionsRequest() {
    }

    /** An element of {@code topics} in DescribeTopicPartitionsRequest. */
    public static final class TopicRequest {
        private static final StructBuilder B = new StructBuilder("TopicRequest");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructSchema SCHEMA = B.build();

        private TopicRequest() {
        }
    }

    /** The {@code cursor} of DescribeTopicPartitionsRequest: the first topic and partition to describe. */
    public static final class Cursor {
        private static final StructBuilder B = new StructBuilder("Cursor");
        public static final StringField TOPIC_NAME = B.string("topic_name", "0+");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final StructSchema SCHEMA = B.build();

        private Cursor() {
        }
    }
}
