package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * AddPartitionsToTxn request body (API key 24), versions 0-5, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class AddPartitionsToTxnRequest {
    private static final StructBuilder B = new StructBuilder("AddPartitionsToTxnRequest");
    /** From v4: the broker form (batched, possibly verify-only); before, one client transaction. */
    public static final StructArrayField TRANSACTIONS = B.array("transactions", "4+", AddPartitionsToTxnTransaction.SCHEMA);
    public static final StringField V3_AND_BELOW_TRANSACTIONAL_ID = B.string("v3_and_below_transactional_id", "0-3");
    public static final Int64Field V3_AND_BELOW_PRODUCER_ID = B.int64("v3_and_below_producer_id", "0-3");
    public static final Int16Field V3_AND_BELOW_PRODUCER_EPOCH = B.int16("v3_and_below_producer_epoch", "0-3");
    public static final StructArrayField V3_AND_BELOW_TOPICS = B.array("v3_and_below_topics", "0-3", AddPartitionsToTxnTopic.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.ADD_PARTITIONS_TO_TXN, B.build());

    private AddPartitionsToTxnRequest() {
    }

    /** An element of {@code transactions}. */
    public static final class AddPartitionsToTxnTransaction {
        private static final StructBuilder B = new StructBuilder("AddPartitionsToTxnTransaction");
        public static final StringField TRANSACTIONAL_ID = B.string("transactional_id", "4+");
        public static final Int64Field PRODUCER_ID = B.int64("producer_id", "4+");
        public static final Int16Field PRODUCER_EPOCH = B.int16("producer_epoch", "4+");
        public static final BoolField VERIFY_ONLY = B.bool("verify_only", "4+");
        public static final StructArrayField TOPICS = B.array("topics", "4+", AddPartitionsToTxnTopic.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private AddPartitionsToTxnTransaction() {
        }
    }

    /** An element of {@code topics} and {@code v3_and_below_topics}. */
    public static final class AddPartitionsToTxnTopic {
        private static final StructBuilder B = new StructBuilder("AddPartitionsToTxnTopic");
        public static final StringField NAME = B.string("name", "0+");
        public static final Int32ArrayField PARTITIONS = B.int32Array("partitions", "0+");
        public static final StructSchema SCHEMA = B.build();

        private AddPartitionsToTxnTopic() {
        }
    }
}
