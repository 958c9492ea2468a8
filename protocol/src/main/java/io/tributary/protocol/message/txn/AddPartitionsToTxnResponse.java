package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * AddPartitionsToTxn response body (API key 24), versions 0-5, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class AddPartitionsToTxnResponse {
    private static final StructBuilder B = new StructBuilder("AddPartitionsToTxnResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "4+").ignorable();
    public static final StructArrayField RESULTS_BY_TRANSACTION = B.array("results_by_transaction", "4+", AddPartitionsToTxnResult.SCHEMA);
    public static final StructArrayField RESULTS_BY_TOPIC_V3_AND_BELOW = B.array("results_by_topic_v3_and_below", "0-3", AddPartitionsToTxnTopicResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.ADD_PARTITIONS_TO_TXN, B.build());

    private AddPartitionsToTxnResponse() {
    }

    /** An element of {@code results_by_transaction}. */
    public static final class AddPartitionsToTxnResult {
        private static final StructBuilder B = new StructBuilder("AddPartitionsToTxnResult");
        public static final StringField TRANSACTIONAL_ID = B.string("transactional_id", "4+");
        public static final StructArrayField TOPIC_RESULTS = B.array("topic_results", "4+", AddPartitionsToTxnTopicResult.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private AddPartitionsToTxnResult() {
        }
    }

    /** An element of {@code topic_results} and {@code results_by_topic_v3_and_below}. */
    public static final class AddPartitionsToTxnTopicResult {
        private static final StructBuilder B = new StructBuilder("AddPartitionsToTxnTopicResult");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructArrayField RESULTS_BY_PARTITION = B.array("results_by_partition", "0+", AddPartitionsToTxnPartitionResult.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private AddPartitionsToTxnTopicResult() {
        }
    }

    /** An element of {@code results_by_partition}. */
    public static final class AddPartitionsToTxnPartitionResult {
        private static final StructBuilder B = new StructBuilder("AddPartitionsToTxnPartitionResult");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int16Field PARTITION_ERROR_CODE = B.int16("partition_error_code", "0+");
        public static final StructSchema SCHEMA = B.build();

        private AddPartitionsToTxnPartitionResult() {
        }
    }
}
