package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * TxnOffsetCommit response body (API key 28), versions 0-5, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class TxnOffsetCommitResponse {
    private static final StructBuilder B = new StructBuilder("TxnOffsetCommitResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final StructArrayField TOPICS = B.array("topics", "0+", TxnOffsetCommitResponseTopic.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.TXN_OFFSET_COMMIT, B.build());

    private TxnOffsetCommitResponse() {
    }

    /** An element of {@code topics}. */
    public static final class TxnOffsetCommitResponseTopic {
        private static final StructBuilder B = new StructBuilder("TxnOffsetCommitResponseTopic");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", TxnOffsetCommitResponsePartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private TxnOffsetCommitResponseTopic() {
        }
    }

    /** An element of {@code partitions}. */
    public static final class TxnOffsetCommitResponsePartition {
        private static final StructBuilder B = new StructBuilder("TxnOffsetCommitResponsePartition");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StructSchema SCHEMA = B.build();

        private TxnOffsetCommitResponsePartition() {
        }
    }
}
