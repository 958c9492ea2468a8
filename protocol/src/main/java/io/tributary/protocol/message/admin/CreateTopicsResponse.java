package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * CreateTopics response body (API key 19), versions 2-7, flexible from version 5.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class CreateTopicsResponse {
    private static final StructBuilder B = new StructBuilder("CreateTopicsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "2+");
    public static final StructArrayField TOPICS = B.array("topics", "2+", CreatableTopicResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.CREATE_TOPICS, B.build());

    private CreateTopicsResponse() {
    }

    /** An element of {@code topics} in CreateTopicsResponse. */
    public static final class CreatableTopicResult {
        private static final StructBuilder B = new StructBuilder("CreatableTopicResult");
        public static final StringField NAME = B.string("name", "2+");
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "7+").ignorable();
        public static final Int16Field ERROR_CODE = B.int16("error_code", "2+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "2+").nullable("2+");
        public static final Int32Field NUM_PARTITIONS = B.int32("num_partitions", "5+").defaultValue(-1).ignorable();
        public static final Int16Field REPLICATION_FACTOR = B.int16("replication_factor", "5+").defaultValue(-1).ignorable();
        public static final StructArrayField CONFIGS = B.array("configs", "5+", CreatableTopicConfigs.SCHEMA).nullable("5+").ignorable();
        public static final Int16Field TOPIC_CONFIG_ERROR_CODE = B.int16("topic_config_error_code", "5+").tagged(0).ignorable();
        public static final StructSchema SCHEMA = B.build();

        private CreatableTopicResult() {
        }
    }

    /** An element of {@code configs} in CreatableTopicResult. */
    public static final class CreatableTopicConfigs {
        private static final StructBuilder B = new StructBuilder("CreatableTopicConfigs");
        public static final StringField NAME = B.string("name", "5+");
        public static final StringField VALUE = B.string("value", "5+").nullable("5+");
        public static final BoolField READ_ONLY = B.bool("read_only", "5+");
        public static final Int8Field CONFIG_SOURCE = B.int8("config_source", "5+").defaultValue(-1);
        public static final BoolField IS_SENSITIVE = B.bool("is_sensitive", "5+");
        public static final StructSchema SCHEMA = B.build();

        private CreatableTopicConfigs() {
        }
    }
}
