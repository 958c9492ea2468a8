package io.tributary.protocol.message.fetch;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructField;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * Fetch request body (API key 1), versions 4-18, flexible from version 12.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class FetchRequest {
    private static final StructBuilder B = new StructBuilder("FetchRequest");
    public static final Int32Field REPLICA_ID = B.int32("replica_id", "4-14").defaultValue(-1);
    public static final Int32Field MAX_WAIT_MS = B.int32("max_wait_ms", "4+");
    public static final Int32Field MIN_BYTES = B.int32("min_bytes", "4+");
    public static final Int32Field MAX_BYTES = B.int32("max_bytes", "4+").defaultValue(2147483647);
    public static final Int8Field ISOLATION_LEVEL = B.int8("isolation_level", "4+");
    public static final Int32Field SESSION_ID = B.int32("session_id", "7+").ignorable();
    public static final Int32Field SESSION_EPOCH = B.int32("session_epoch", "7+").defaultValue(-1).ignorable();
    public static final StructArrayField TOPICS = B.array("topics", "4+", FetchTopic.SCHEMA);
    public static final StructArrayField FORGOTTEN_TOPICS_DATA = B.array("forgotten_topics_data", "7+", ForgottenTopic.SCHEMA);
    public static final StringField RACK_ID = B.string("rack_id", "11+").ignorable();
    public static final StringField CLUSTER_ID = B.string("cluster_id", "12+").nullable("12+").tagged(0).defaultValue(null).ignorable();
    public static final StructField REPLICA_STATE = B.struct("replica_state", "15+", ReplicaState.SCHEMA).tagged(1);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.FETCH, B.build());

    private FetchRequest() {
    }

    /** An element of {@code topics} in FetchRequest. */
    public static final class FetchTopic {
        private static final StructBuilder B = new StructBuilder("FetchTopic");
        public static final StringField TOPIC = B.string("topic", "4-12").ignorable();
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "13+").ignorable();
        public static final StructArrayField PARTITIONS = B.array("partitions", "4+", FetchPartition.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private FetchTopic() {
        }
    }

    /** An element of {@code partitions} in FetchTopic. */
    public static final class FetchPartition {
        private static final StructBuilder B = new StructBuilder("FetchPartition");
        public static final Int32Field PARTITION = B.int32("partition", "4+");
        public static final Int32Field CURRENT_LEADER_EPOCH = B.int32("current_leader_epoch", "9+").defaultValue(-1).ignorable();
        public static final Int64Field FETCH_OFFSET = B.int64("fetch_offset", "4+");
        public static final Int32Field LAST_FETCHED_EPOCH = B.int32("last_fetched_epoch", "12+").defaultValue(-1);
        public static final Int64Field LOG_START_OFFSET = B.int64("log_start_offset", "5+").defaultValue(-1L).ignorable();
        public static final Int32Field PARTITION_MAX_BYTES = B.int32("partition_max_bytes", "4+");
        public static final UuidField REPLICA_DIRECTORY_ID = B.uuid("replica_directory_id", "17+").tagged(0).ignorable();
        public static final Int64Field HIGH_WATERMARK = B.int64("high_watermark", "18+").tagged(1).defaultValue(9223372036854775807L).ignorable();
        public static final StructSchema SCHEMA = B.build();

        private FetchPartition() {
        }
    }

    /** An element of {@code forgotten_topics_data} in FetchRequest. */
    public static final class ForgottenTopic {
        private static final StructBuilder B = new StructBuilder("ForgottenTopic");
        public static final StringField TOPIC = B.string("topic", "7-12").ignorable();
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "13+").ignorable();
        public static final Int32ArrayField PARTITIONS = B.int32Array("partitions", "7+");
        public static final StructSchema SCHEMA = B.build();

        private ForgottenTopic() {
        }
    }

    /** The value of {@code replica_state} in FetchRequest. */
    public static final class ReplicaState {
        private static final StructBuilder B = new StructBuilder("ReplicaState");
        public static final Int32Field REPLICA_ID = B.int32("replica_id", "15+").defaultValue(-1);
        public static final Int64Field REPLICA_EPOCH = B.int64("replica_epoch", "15+").defaultValue(-1L);
        public static final StructSchema SCHEMA = B.build();

        private ReplicaState() {
        }
    }
}
