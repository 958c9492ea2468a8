package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * CreateTopics request body (API key 19), versions 2-7, flexible from version 5.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class CreateTopicsRequest {
    private static final StructBuilder B = new StructBuilder("CreateTopicsRequest");
    public static final StructArrayField TOPICS = B.array("topics", "2+", CreatableTopic.SCHEMA);
    public static final Int32Field TIMEOUT_MS = B.int32("timeout_ms", "2+").defaultValue(60000);
    public static final BoolField VALIDATE_ONLY = B.bool("validate_only", "2+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.CREATE_TOPICS, B.build());

    private CreateTopicsRequest() {
    }

    /** An element of {@code topics} in CreateTopicsRequest. */
    public static final class CreatableTopic {
        private static final StructBuilder B = new StructBuilder("CreatableTopic");
        public static final StringField NAME = B.string("name", "2+");
        public static final Int32Field NUM_PARTITIONS = B.int32("num_partitions", "2+");
        public static final Int16Field REPLICATION_FACTOR = B.int16("replication_factor", "2+");
        public static final StructArrayField ASSIGNMENTS = B.array("assignments", "2+", CreatableReplicaAssignment.SCHEMA);
        public static final StructArrayField CONFIGS = B.array("configs", "2+", CreatableTopicConfig.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private CreatableTopic() {
        }
    }

    /** An element of {@code assignments} in CreatableTopic. */
    public static final class CreatableReplicaAssignment {
        private static final StructBuilder B = new StructBuilder("CreatableReplicaAssignment");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "2+");
        public static final Int32ArrayField BROKER_IDS = B.int32Array("broker_ids", "2+");
        public static final StructSchema SCHEMA = B.build();

        private CreatableReplicaAssignment() {
        }
    }

    /** An element of {@code configs} in CreatableTopic. */
    public static final class CreatableTopicConfig {
        private static final StructBuilder B = new StructBuilder("CreatableTopicConfig");
        public static final StringField NAME = B.string("name", "2+");
        public static final StringField VALUE = B.string("value", "2+").nullable("2+");
        public static final StructSchema SCHEMA = B.build();

        private CreatableTopicConfig() {
        }
    }
}
