package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * AlterPartitionReassignments request body (API key 45), versions 0-1, flexible from version 0. A partition's
 * {@code replicas} null cancels its reassignment.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class AlterPartitionReassignmentsRequest {
    private static final StructBuilder B = new StructBuilder("AlterPartitionReassignmentsRequest");
    public static final Int32Field TIMEOUT_MS = B.int32("timeout_ms", "0+").defaultValue(60000);
    public static final BoolField ALLOW_REPLICATION_FACTOR_CHANGE = B.bool("allow_replication_factor_change", "1+").defaultValue(true);
    public static final StructArrayField TOPICS = B.array("topics", "0+", ReassignableTopic.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.ALTER_PARTITION_REASSIGNMENTS, B.build());

    private AlterPartitionReassignmentsRequest() {
    }

    /** An element of {@code topics} in AlterPartitionReassignmentsRequest. */
    public static final class ReassignableTopic {
        private static final StructBuilder B = new StructBuilder("ReassignableTopic");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", ReassignablePartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private ReassignableTopic() {
        }
    }

    /** An element of {@code partitions} in ReassignableTopic. */
    public static final class ReassignablePartition {
        private static final StructBuilder B = new StructBuilder("ReassignablePartition");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int32ArrayField REPLICAS = B.int32Array("replicas", "0+").nullable("0+").defaultNull();
        public static final StructSchema SCHEMA = B.build();

        private ReassignablePartition() {
        }
    }
}
