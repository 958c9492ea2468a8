package io.tributary.protocol.message.fetch;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.RecordsField;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructField;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * Fetch response body (API key 1), versions 4-18, flexible from version 12.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class FetchResponse {
    private static final StructBuilder B = new StructBuilder("FetchResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "4+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "7+").ignorable();
    public static final Int32Field SESSION_ID = B.int32("session_id", "7+");
    public static final StructArrayField RESPONSES = B.array("responses", "4+", FetchableTopicResponse.SCHEMA);
    public static final StructArrayField NODE_ENDPOINTS = B.array("node_endpoints", "16+", NodeEndpoint.SCHEMA).tagged(0);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.FETCH, B.build());

    private FetchResponse() {
    }

    /** An element of {@code responses} in FetchResponse. */
    public static final class FetchableTopicResponse {
        private static final StructBuilder B = new StructBuilder("FetchableTopicResponse");
        public static final StringField TOPIC = B.string("topic", "4-12").ignorable();
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "13+").ignorable();
        public static final StructArrayField PARTITIONS = B.array("partitions", "4+", PartitionData.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private FetchableTopicResponse() {
        }
    }

    /** An element of {@code partitions} in FetchableTopicResponse. */
    public static final class PartitionData {
        private static final StructBuilder B = new StructBuilder("PartitionData");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "4+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "4+");
        public static final Int64Field HIGH_WATERMARK = B.int64("high_watermark", "4+");
        public static final Int64Field LAST_STABLE_OFFSET = B.int64("last_stable_offset", "4+").defaultValue(-1L);
        public static final Int64Field LOG_START_OFFSET = B.int64("log_start_offset", "5+").defaultValue(-1L).ignorable();
        public static final StructArrayField ABORTED_TRANSACTIONS = B.array("aborted_transactions", "4+", AbortedTransaction.SCHEMA).nullable("4+");
        public static final Int32Field PREFERRED_READ_REPLICA = B.int32("preferred_read_replica", "11+").defaultValue(-1);
        public static final RecordsField RECORDS = B.records("records", "4+").nullable("4+");
        public static final StructField DIVERGING_EPOCH = B.struct("diverging_epoch", "12+", EpochEndOffset.SCHEMA).tagged(0);
        public static final StructField CURRENT_LEADER = B.struct("current_leader", "12+", LeaderIdAndEpoch.SCHEMA).tagged(1);
        public static final StructField SNAPSHOT_ID = B.struct("snapshot_id", "12+", SnapshotId.SCHEMA).tagged(2);
        public static final StructSchema SCHEMA = B.build();

        private PartitionData() {
        }
    }

    /** An element of {@code aborted_transactions} in PartitionData. */
    public static final class AbortedTransaction {
        private static final StructBuilder B = new StructBuilder("AbortedTransaction");
        public static final Int64Field PRODUCER_ID = B.int64("producer_id", "4+");
        public static final Int64Field FIRST_OFFSET = B.int64("first_offset", "4+");
        public static final StructSchema SCHEMA = B.build();

        private AbortedTransaction() {
        }
    }

    /** The value of {@code diverging_epoch} in PartitionData. */
    public static final class EpochEndOffset {
        private static final StructBuilder B = new StructBuilder("EpochEndOffset");
        public static final Int32Field EPOCH = B.int32("epoch", "12+").defaultValue(-1);
        public static final Int64Field END_OFFSET = B.int64("end_offset", "12+").defaultValue(-1L);
        public static final StructSchema SCHEMA = B.build();

        private EpochEndOffset() {
        }
    }

    /** The value of {@code current_leader} in PartitionData. */
    public static final class LeaderIdAndEpoch {
        private static final StructBuilder B = new StructBuilder("LeaderIdAndEpoch");
        public static final Int32Field LEADER_ID = B.int32("leader_id", "12+").defaultValue(-1);
        public static final Int32Field LEADER_EPOCH = B.int32("leader_epoch", "12+").defaultValue(-1);
        public static final StructSchema SCHEMA = B.build();

        private LeaderIdAndEpoch() {
        }
    }

    /** The value of {@code snapshot_id} in PartitionData. */
    public static final class SnapshotId {
        private static final StructBuilder B = new StructBuilder("SnapshotId");
        public static final Int64Field END_OFFSET = B.int64("end_offset", "12+").defaultValue(-1L);
        public static final Int32Field EPOCH = B.int32("epoch", "12+").defaultValue(-1);
        public static final StructSchema SCHEMA = B.build();

        private SnapshotId() {
        }
    }

    /** An element of {@code node_endpoints} in FetchResponse. */
    public static final class NodeEndpoint {
        private static final StructBuilder B = new StructBuilder("NodeEndpoint");
        public static final Int32Field NODE_ID = B.int32("node_id", "16+");
        public static final StringField HOST = B.string("host", "16+");
        public static final Int32Field PORT = B.int32("port", "16+");
        public static final StringField RACK = B.string("rack", "16+").nullable("16+").defaultValue(null);
        public static final StructSchema SCHEMA = B.build();

        private NodeEndpoint() {
        }
    }
}
