package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringArrayField;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * DeleteTopics request body (API key 20), versions 1-6, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DeleteTopicsRequest {
    private static final StructBuilder B = new StructBuilder("DeleteTopicsRequest");
    public static final StringArrayField TOPIC_NAMES = B.stringArray("topic_names", "1-5").ignorable();
    public static final StructArrayField TOPICS = B.array("topics", "6+", DeleteTopicState.SCHEMA);
    public static final Int32Field TIMEOUT_MS = B.int32("timeout_ms", "1+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DELETE_TOPICS, B.build());

    private DeleteTopicsRequest() {
    }

    /** An element of {@code topics} in DeleteTopicsRequest. */
    public static final class DeleteTopicState {
        private static final StructBuilder B = new StructBuilder("DeleteTopicState");
        public static final StringField NAME = B.string("name", "6+").nullable("6+").defaultValue(null);
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "6+");
        public static final StructSchema SCHEMA = B.build();

        private DeleteTopicState() {
        }
    }
}
