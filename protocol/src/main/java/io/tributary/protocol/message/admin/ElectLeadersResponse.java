package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * ElectLeaders response body (API key 43), versions 0-2, flexible from version 2.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ElectLeadersResponse {
    private static final StructBuilder B = new StructBuilder("ElectLeadersResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "1+");
    public static final StructArrayField REPLICA_ELECTION_RESULTS = B.array("replica_election_results", "0+", ReplicaElectionResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.ELECT_LEADERS, B.build());

    private ElectLeadersResponse() {
    }

    /** An element of {@code replica_election_results} in ElectLeadersResponse. */
    public static final class ReplicaElectionResult {
        private static final StructBuilder B = new StructBuilder("ReplicaElectionResult");
        public static final StringField TOPIC = B.string("topic", "0+");
        public static final StructArrayField PARTITION_RESULT = B.array("partition_result", "0+", PartitionResult.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private ReplicaElectionResult() {
        }
    }

    /** An element of {@code partition_result} in ReplicaElectionResult. */
    public static final class PartitionResult {
        private static final StructBuilder B = new StructBuilder("PartitionResult");
        public static final Int32Field PARTITION_ID = B.int32("partition_id", "0+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+");
        public static final StructSchema SCHEMA = B.build();

        private PartitionResult() {
        }
    }
}
