package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * DescribeTransactions response body (API key 65), versions 0, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeTransactionsResponse {
    private static final StructBuilder B = new StructBuilder("DescribeTransactionsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final StructArrayField TRANSACTION_STATES = B.array("transaction_states", "0+", TransactionState.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DESCRIBE_TRANSACTIONS, B.build());

    private DescribeTransactionsResponse() {
    }

    /** An element of {@code transaction_states}. */
    public static final class TransactionState {
        private static final StructBuilder B = new StructBuilder("TransactionState");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField TRANSACTIONAL_ID = B.string("transactional_id", "0+");
        public static final StringField TRANSACTION_STATE = B.string("transaction_state", "0+");
        public static final Int32Field TRANSACTION_TIMEOUT_MS = B.int32("transaction_timeout_ms", "0+");
        public static final Int64Field TRANSACTION_START_TIME_MS = B.int64("transaction_start_time_ms", "0+");
        public static final Int64Field PRODUCER_ID = B.int64("producer_id", "0+");
        public static final Int16Field PRODUCER_EPOCH = B.int16("producer_epoch", "0+");
        public static final StructArrayField TOPICS = B.array("topics", "0+", TopicData.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private TransactionState() {
        }
    }

    /** An element of {@code topics}. */
    public static final class TopicData {
        private static final StructBuilder B = new StructBuilder("TopicData");
        public static final StringField TOPIC = B.string("topic", "0+");
        public static final Int32ArrayField PARTITIONS = B.int32Array("partitions", "0+");
        public static final StructSchema SCHEMA = B.build();

        private TopicData() {
        }
    }
}
