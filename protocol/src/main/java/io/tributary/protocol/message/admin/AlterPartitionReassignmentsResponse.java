package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * AlterPartitionReassignments response body (API key 45), versions 0-1, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class AlterPartitionReassignmentsResponse {
    private static final StructBuilder B = new StructBuilder("AlterPartitionReassignmentsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final BoolField ALLOW_REPLICATION_FACTOR_CHANGE = B.bool("allow_replication_factor_change", "1+").defaultValue(true).ignorable();
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+");
    public static final StructArrayField RESPONSES = B.array("responses", "0+", ReassignableTopicResponse.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.ALTER_PARTITION_REASSIGNMENTS, B.build());

    private AlterPartitionReassignmentsResponse() {
    }

    /** An element of {@code responses} in AlterPartitionReassignmentsResponse. */
    public static final class ReassignableTopicResponse {
        private static final StructBuilder B = new StructBuilder("ReassignableTopicResponse");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", ReassignablePartitionResponse.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private ReassignableTopicResponse() {
        }
    }

    /** An element of {@code partitions} in ReassignableTopicResponse. */
    public static final class ReassignablePartitionResponse {
        private static final StructBuilder B = new StructBuilder("ReassignablePartitionResponse");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+").defaultValue(null);
        public static final StructSchema SCHEMA = B.build();

        private ReassignablePartitionResponse() {
        }
    }
}
