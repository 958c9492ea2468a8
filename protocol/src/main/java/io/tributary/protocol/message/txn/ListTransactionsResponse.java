package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * ListTransactions response body (API key 66), versions 0-2, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ListTransactionsResponse {
    private static final StructBuilder B = new StructBuilder("ListTransactionsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StringArrayField UNKNOWN_STATE_FILTERS = B.stringArray("unknown_state_filters", "0+");
    public static final StructArrayField TRANSACTION_STATES = B.array("transaction_states", "0+", TransactionState.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.LIST_TRANSACTIONS, B.build());

    private ListTransactionsResponse() {
    }

    /** An element of {@code transaction_states}. */
    public static final class TransactionState {
        private static final StructBuilder B = new StructBuilder("TransactionState");
        public static final StringField TRANSACTIONAL_ID = B.string("transactional_id", "0+");
        public static final Int64Field PRODUCER_ID = B.int64("producer_id", "0+");
        public static final StringField TRANSACTION_STATE = B.string("transaction_state", "0+");
        public static final StructSchema SCHEMA = B.build();

        private TransactionState() {
        }
    }
}
