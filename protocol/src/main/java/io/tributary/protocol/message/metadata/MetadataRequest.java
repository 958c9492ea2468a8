package io.tributary.protocol.message.metadata;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * Metadata request body (API key 3), versions 0-13, flexible from version 9.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class MetadataRequest {
    private static final StructBuilder B = new StructBuilder("MetadataRequest");
    public static final StructArrayField TOPICS = B.array("topics", "0+", MetadataRequestTopic.SCHEMA).nullable("1+");
    public static final BoolField ALLOW_AUTO_TOPIC_CREATION = B.bool("allow_auto_topic_creation", "4+").defaultValue(true);
    public static final BoolField INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS = B.bool("include_cluster_authorized_operations", "8-10");
    public static final BoolField INCLUDE_TOPIC_AUTHORIZED_OPERATIONS = B.bool("include_topic_authorized_operations", "8+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.METADATA, B.build());

    private MetadataRequest() {
    }

    /** An element of {@code topics} in MetadataRequest. */
    public static final class MetadataRequestTopic {
        private static final StructBuilder B = new StructBuilder("MetadataRequestTopic");
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "10+").ignorable();
        public static final StringField NAME = B.string("name", "0+").nullable("10+");
        public static final StructSchema SCHEMA = B.build();

        private MetadataRequestTopic() {
        }
    }
}
