package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * ListPartitionReassignments request body (API key 46), version 0, flexible. {@code topics} null: every partition.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ListPartitionReassignmentsRequest {
    private static final StructBuilder B = new StructBuilder("ListPartitionReassignmentsRequest");
    public static final Int32Field TIMEOUT_MS = B.int32("timeout_ms", "0+").defaultValue(60000);
    public static final StructArrayField TOPICS = B.array("topics", "0+", ListPartitionReassignmentsTopics.SCHEMA).nullable("0+").defaultNull();
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.LIST_PARTITION_REASSIGNMENTS, B.build());

    private ListPartitionReassignmentsRequest() {
    }

    /** An element of {@code topics} in ListPartitionReassignmentsRequest. */
    public static final class ListPartitionReassignmentsTopics {
        private static final StructBuilder B = new StructBuilder("ListPartitionReassignmentsTopics");
        public static final StringField NAME = B.string("name", "0+");
        public static final Int32ArrayField PARTITION_INDEXES = B.int32Array("partition_indexes", "0+");
        public static final StructSchema SCHEMA = B.build();

        private ListPartitionReassignmentsTopics() {
        }
    }
}
