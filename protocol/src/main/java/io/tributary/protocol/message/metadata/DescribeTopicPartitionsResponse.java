package io.tributary.protocol.message.metadata;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructField;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * DescribeTopicPartitions response body (API key 75, KIP-966), version 0, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation. {@code next_cursor}
 * is a nullable struct: null when nothing is left to describe.
 */
public final class DescribeTopicPartitionsResponse {
    private static final StructBuilder B = new StructBuilder("DescribeTopicPartitionsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+").ignorable();
    public static final StructArrayField TOPICS = B.array("topics", "0+", DescribeTopicPartitionsResponseTopic.SCHEMA);
    public static final StructField NEXT_CURSOR = B.struct("next_cursor", "0+", Cursor.SCHEMA).nullable("0+");
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DESCRIBE_TOPIC_PARTITIONS, B.build());

    private DescribeTopicPartitionsResponse() {
    }

    /** An element of {@code topics} in DescribeTopicPartitionsResponse. */
    public static final class DescribeTopicPartitionsResponseTopic {
        private static final StructBuilder B = new StructBuilder("DescribeTopicPartitionsResponseTopic");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField NAME = B.string("name", "0+").nullable("0+");
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "0+").ignorable();
        public static final BoolField IS_INTERNAL = B.bool("is_internal", "0+").ignorable();
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", DescribeTopicPartitionsResponsePartition.SCHEMA);
        public static final Int32Field TOPIC_AUTHORIZED_OPERATIONS = B.int32("topic_authorized_operations", "0+").defaultValue(-2147483648);
        public static final StructSchema SCHEMA = B.build();

        private DescribeTopicPartitionsResponseTopic() {
        }
    }

    /** An element of {@code partitions} in DescribeTopicPartitionsResponseTopic. */
    public static final class DescribeTopicPartitionsResponsePartition {
        private static final StructBuilder B = new StructBuilder("DescribeTopicPartitionsResponsePartition");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int32Field LEADER_ID = B.int32("leader_id", "0+");
        public static final Int32Field LEADER_EPOCH = B.int32("leader_epoch", "0+").defaultValue(-1).ignorable();
        public static final Int32ArrayField REPLICA_NODES = B.int32Array("replica_nodes", "0+");
        public static final Int32ArrayField ISR_NODES = B.int32Array("isr_nodes", "0+");
        public static final Int32ArrayField ELIGIBLE_LEADER_REPLICAS = B.int32Array("eligible_leader_replicas", "0+").nullable("0+").defaultNull();
        public static final Int32ArrayField LAST_KNOWN_ELR = B.int32Array("last_known_elr", "0+").nullable("0+").defaultNull();
        public static final Int32ArrayField OFFLINE_REPLICAS = B.int32Array("offline_replicas", "0+").ignorable();
        public static final StructSchema SCHEMA = B.build();

        private DescribeTopicPartitionsResponsePartition() {
        }
    }

    /** The {@code next_cursor} of DescribeTopicPartitionsResponse: where the next request should start. */
    public static final class Cursor {
        private static final StructBuilder B = new StructBuilder("Cursor");
        public static final StringField TOPIC_NAME = B.string("topic_name", "0+");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final StructSchema SCHEMA = B.build();

        private Cursor() {
        }
    }
}
