package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * DescribeProducers response body (API key 61), versions 0, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeProducersResponse {
    private static final StructBuilder B = new StructBuilder("DescribeProducersResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final StructArrayField TOPICS = B.array("topics", "0+", TopicResponse.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DESCRIBE_PRODUCERS, B.build());

    private DescribeProducersResponse() {
    }

    /** An element of {@code topics}. */
    public static final class TopicResponse {
        private static final StructBuilder B = new StructBuilder("TopicResponse");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", PartitionResponse.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private TopicResponse() {
        }
    }

    /** An element of {@code partitions}. */
    public static final class PartitionResponse {
        private static final StructBuilder B = new StructBuilder("PartitionResponse");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+").defaultValue(null);
        public static final StructArrayField ACTIVE_PRODUCERS = B.array("active_producers", "0+", ProducerState.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private PartitionResponse() {
        }
    }

    /** An element of {@code active_producers}. */
    public static final class ProducerState {
        private static final StructBuilder B = new StructBuilder("ProducerState");
        public static final Int64Field PRODUCER_ID = B.int64("producer_id", "0+");
        public static final Int32Field PRODUCER_EPOCH = B.int32("producer_epoch", "0+");
        public static final Int32Field LAST_SEQUENCE = B.int32("last_sequence", "0+").defaultValue(-1);
        public static final Int64Field LAST_TIMESTAMP = B.int64("last_timestamp", "0+").defaultValue(-1L);
        public static final Int32Field COORDINATOR_EPOCH = B.int32("coordinator_epoch", "0+");
        public static final Int64Field CURRENT_TXN_START_OFFSET = B.int64("current_txn_start_offset", "0+").defaultValue(-1L);
        public static final StructSchema SCHEMA = B.build();

        private ProducerState() {
        }
    }
}
