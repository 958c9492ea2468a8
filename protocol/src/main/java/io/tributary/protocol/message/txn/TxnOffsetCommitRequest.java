package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * TxnOffsetCommit request body (API key 28), versions 0-5, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class TxnOffsetCommitRequest {
    private static final StructBuilder B = new StructBuilder("TxnOffsetCommitRequest");
    public static final StringField TRANSACTIONAL_ID = B.string("transactional_id", "0+");
    public static final StringField GROUP_ID = B.string("group_id", "0+");
    public static final Int64Field PRODUCER_ID = B.int64("producer_id", "0+");
    public static final Int16Field PRODUCER_EPOCH = B.int16("producer_epoch", "0+");
    public static final Int32Field GENERATION_ID = B.int32("generation_id", "3+").defaultValue(-1);
    public static final StringField MEMBER_ID = B.string("member_id", "3+").defaultValue("");
    public static final StringField GROUP_INSTANCE_ID = B.string("group_instance_id", "3+").nullable("3+").defaultValue(null);
    public static final StructArrayField TOPICS = B.array("topics", "0+", TxnOffsetCommitRequestTopic.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.TXN_OFFSET_COMMIT, B.build());

    private TxnOffsetCommitRequest() {
    }

    /** An element of {@code topics}. */
    public static final class TxnOffsetCommitRequestTopic {
        private static final StructBuilder B = new StructBuilder("TxnOffsetCommitRequestTopic");
        public static final StringField NAME = B.string("name", "0+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "0+", TxnOffsetCommitRequestPartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private TxnOffsetCommitRequestTopic() {
        }
    }

    /** An element of {@code partitions}. */
    public static final class TxnOffsetCommitRequestPartition {
        private static final StructBuilder B = new StructBuilder("TxnOffsetCommitRequestPartition");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "0+");
        public static final Int64Field COMMITTED_OFFSET = B.int64("committed_offset", "0+");
        public static final Int32Field COMMITTED_LEADER_EPOCH = B.int32("committed_leader_epoch", "2+").defaultValue(-1).ignorable();
        public static final StringField COMMITTED_METADATA = B.string("committed_metadata", "0+").nullable("0+");
        public static final StructSchema SCHEMA = B.build();

        private TxnOffsetCommitRequestPartition() {
        }
    }
}
