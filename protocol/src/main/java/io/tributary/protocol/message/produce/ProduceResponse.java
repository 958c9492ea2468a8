package io.tributary.protocol.message.produce;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructField;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * Produce response body (API key 0), versions 3-13, flexible from version 9.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ProduceResponse {
    private static final StructBuilder B = new StructBuilder("ProduceResponse");
    public static final StructArrayField RESPONSES = B.array("responses", "3+", TopicProduceResponse.SCHEMA);
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "3+");
    public static final StructArrayField NODE_ENDPOINTS = B.array("node_endpoints", "10+", NodeEndpoint.SCHEMA).tagged(0);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.PRODUCE, B.build());

    private ProduceResponse() {
    }

    /** An element of {@code responses} in ProduceResponse. */
    public static final class TopicProduceResponse {
        private static final StructBuilder B = new StructBuilder("TopicProduceResponse");
        public static final StringField NAME = B.string("name", "3-12").ignorable();
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "13+").ignorable();
        public static final StructArrayField PARTITION_RESPONSES = B.array("partition_responses", "3+", PartitionProduceResponse.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private TopicProduceResponse() {
        }
    }

    /** An element of {@code partition_responses} in TopicProduceResponse. */
    public static final class PartitionProduceResponse {
        private static final StructBuilder B = new StructBuilder("PartitionProduceResponse");
        public static final Int32Field INDEX = B.int32("index", "3+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "3+");
        public static final Int64Field BASE_OFFSET = B.int64("base_offset", "3+");
        public static final Int64Field LOG_APPEND_TIME_MS = B.int64("log_append_time_ms", "3+").defaultValue(-1L);
        public static final Int64Field LOG_START_OFFSET = B.int64("log_start_offset", "5+").defaultValue(-1L).ignorable();
        public static final StructArrayField RECORD_ERRORS = B.array("record_errors", "8+", BatchIndexAndErrorMessage.SCHEMA).ignorable();
        public static final StringField ERROR_MESSAGE = B.string("error_message", "8+").nullable("8+").defaultValue(null).ignorable();
        public static final StructField CURRENT_LEADER = B.struct("current_leader", "10+", LeaderIdAndEpoch.SCHEMA).tagged(0);
        public static final StructSchema SCHEMA = B.build();

        private PartitionProduceResponse() {
        }
    }

    /** An element of {@code record_errors} in PartitionProduceResponse. */
    public static final class BatchIndexAndErrorMessage {
        private static final StructBuilder B = new StructBuilder("BatchIndexAndErrorMessage");
        public static final Int32Field BATCH_INDEX = B.int32("batch_index", "8+");
        public static final StringField BATCH_INDEX_ERROR_MESSAGE = B.string("batch_index_error_message", "8+").nullable("8+").defaultValue(null);
        public static final StructSchema SCHEMA = B.build();

        private BatchIndexAndErrorMessage() {
        }
    }

    /** The value of {@code current_leader} in PartitionProduceResponse. */
    public static final class LeaderIdAndEpoch {
        private static final StructBuilder B = new StructBuilder("LeaderIdAndEpoch");
        public static final Int32Field LEADER_ID = B.int32("leader_id", "10+").defaultValue(-1);
        public static final Int32Field LEADER_EPOCH = B.int32("leader_epoch", "10+").defaultValue(-1);
        public static final StructSchema SCHEMA = B.build();

        private LeaderIdAndEpoch() {
        }
    }

    /** An element of {@code node_endpoints} in ProduceResponse. */
    public static final class NodeEndpoint {
        private static final StructBuilder B = new StructBuilder("NodeEndpoint");
        public static final Int32Field NODE_ID = B.int32("node_id", "10+");
        public static final StringField HOST = B.string("host", "10+");
        public static final Int32Field PORT = B.int32("port", "10+");
        public static final StringField RACK = B.string("rack", "10+").nullable("10+").defaultValue(null);
        public static final StructSchema SCHEMA = B.build();

        private NodeEndpoint() {
        }
    }
}
