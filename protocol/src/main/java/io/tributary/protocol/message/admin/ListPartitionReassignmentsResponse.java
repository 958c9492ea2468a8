package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * ListPartitionReassignments response body (API key 46), version 0, flexible.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ListPartitionReassignmentsResponse {
    private static final StructBuilder B = new StructBuilder("ListPartitionReassignmentsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+");
    public static final StructArrayField TOPICS = B.array("topics", "0+", OngoingTopicReassignment.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.LIST_PARTITION_REASSIGNMENTS, B.build());

    private ListPartitionReassignmentsResponse() {
    }

    /** An element of {@code topics} in ListPartitionReassignmentsResponse. */
    public static final class OngoingTopicReassignment {
        private static final StructBuilder B = new StructBuilder("OngoingTopicReassignment");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", OngoingPartitionReassignment.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private OngoingTopicReassignment() {
        }
    }

    /** An element of {@code partitions} in OngoingTopicReassignment. */
    public static final class OngoingPartitionReassignment {
        private static final StructBuilder B = new StructBuilder("OngoingPartitionReassignment");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int32ArrayField REPLICAS = B.int32Array("replicas", "0+");
        public static final Int32ArrayField ADDING_REPLICAS = B.int32Array("adding_replicas", "0+");
        public static final Int32ArrayField REMOVING_REPLICAS = B.int32Array("removing_replicas", "0+");
        public static final StructSchema SCHEMA = B.build();

        private OngoingPartitionReassignment() {
        }
    }
}
