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
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * Metadata response body (API key 3), versions 0-13, flexible from version 9.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class MetadataResponse {
    private static final StructBuilder B = new StructBuilder("MetadataResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "3+").ignorable();
    public static final StructArrayField BROKERS = B.array("brokers", "0+", MetadataResponseBroker.SCHEMA);
    public static final StringField CLUSTER_ID = B.string("cluster_id", "2+").nullable("2+").defaultValue(null).ignorable();
    public static final Int32Field CONTROLLER_ID = B.int32("controller_id", "1+").defaultValue(-1).ignorable();
    public static final StructArrayField TOPICS = B.array("topics", "0+", MetadataResponseTopic.SCHEMA);
    public static final Int32Field CLUSTER_AUTHORIZED_OPERATIONS = B.int32("cluster_authorized_operations", "8-10").defaultValue(-2147483648);
    public static final Int16Field ERROR_CODE = B.int16("error_code", "13+").ignorable();
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.METADATA, B.build());

    private MetadataResponse() {
    }

    /** An element of {@code brokers} in MetadataResponse. */
    public static final class MetadataResponseBroker {
        private static final StructBuilder B = new StructBuilder("MetadataResponseBroker");
        public static final Int32Field NODE_ID = B.int32("node_id", "0+");
        public static final StringField HOST = B.string("host", "0+");
        public static final Int32Field PORT = B.int32("port", "0+");
        public static final StringField RACK = B.string("rack", "1+").nullable("1+").defaultValue(null).ignorable();
        public static final StructSchema SCHEMA = B.build();

        private MetadataResponseBroker() {
        }
    }

    /** An element of {@code topics} in MetadataResponse. */
    public static final class MetadataResponseTopic {
        private static final StructBuilder B = new StructBuilder("MetadataResponseTopic");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField NAME = B.string("name", "0+").nullable("12+");
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "10+").ignorable();
        public static final BoolField IS_INTERNAL = B.bool("is_internal", "1+").ignorable();
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", MetadataResponsePartition.SCHEMA);
        public static final Int32Field TOPIC_AUTHORIZED_OPERATIONS = B.int32("topic_authorized_operations", "8+").defaultValue(-2147483648);
        public static final StructSchema SCHEMA = B.build();

        private MetadataResponseTopic() {
        }
    }

    /** An element of {@code partitions} in MetadataResponseTopic. */
    public static final class MetadataResponsePartition {
        private static final StructBuilder B = new StructBuilder("MetadataResponsePartition");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int32Field LEADER_ID = B.int32("leader_id", "0+");
        public static final Int32Field LEADER_EPOCH = B.int32("leader_epoch", "7+").defaultValue(-1).ignorable();
        public static final Int32ArrayField REPLICA_NODES = B.int32Array("replica_nodes", "0+");
        public static final Int32ArrayField ISR_NODES = B.int32Array("isr_nodes", "0+");
        public static final Int32ArrayField OFFLINE_REPLICAS = B.int32Array("offline_replicas", "5+").ignorable();
        public static final StructSchema SCHEMA = B.build();

        private MetadataResponsePartition() {
        }
    }
}
