package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * DeleteTopics response body (API key 20), versions 1-6, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DeleteTopicsResponse {
    private static final StructBuilder B = new StructBuilder("DeleteTopicsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+");
    public static final StructArrayField RESPONSES = B.array("responses", "1+", DeletableTopicResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DELETE_TOPICS, B.build());

    private DeleteTopicsResponse() {
    }

    /** An element of {@code responses} in DeleteTopicsResponse. */
    public static final class DeletableTopicResult {
        private static final StructBuilder B = new StructBuilder("DeletableTopicResult");
        public static final StringField NAME = B.string("name", "1+").nullable("6+");
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "6+").ignorable();
        public static final Int16Field ERROR_CODE = B.int16("error_code", "1+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "5+").nullable("5+").defaultValue(null).ignorable();
        public static final StructSchema SCHEMA = B.build();

        private DeletableTopicResult() {
        }
    }
}
