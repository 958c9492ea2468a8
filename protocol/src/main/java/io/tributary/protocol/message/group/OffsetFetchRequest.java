package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * OffsetFetch request body (API key 9), versions 1-10, flexible from version 6.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class OffsetFetchRequest {
    private static final StructBuilder B = new StructBuilder("OffsetFetchRequest");
    public static final StringField GROUP_ID = B.string("group_id", "1-7");
    public static final StructArrayField TOPICS = B.array("topics", "1-7", OffsetFetchRequestTopic.SCHEMA).nullable("2-7");
    public static final StructArrayField GROUPS = B.array("groups", "8+", OffsetFetchRequestGroup.SCHEMA);
    public static final BoolField REQUIRE_STABLE = B.bool("require_stable", "7+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.OFFSET_FETCH, B.build());

    private OffsetFetchRequest() {
    }

    /** An element of {@code topics} in OffsetFetchRequest. */
    public static final class OffsetFetchRequestTopic {
        private static final StructBuilder B = new StructBuilder("OffsetFetchRequestTopic");
        public static final StringField NAME = B.string("name", "1-7");
        public static final Int32ArrayField PARTITION_INDEXES = B.int32Array("partition_indexes", "1-7");
        public static final StructSchema SCHEMA = B.build();

        private OffsetFetchRequestTopic() {
        }
    }

    /** An element of {@code groups} in OffsetFetchRequest. */
    public static final class OffsetFetchRequestGroup {
        private static final StructBuilder B = new StructBuilder("OffsetFetchRequestGroup");
        public static final StringField GROUP_ID = B.string("group_id", "8+");
        public static final StringField MEMBER_ID = B.string("member_id", "9+").nullable("9+").defaultValue(null).ignorable();
        public static final Int32Field MEMBER_EPOCH = B.int32("member_epoch", "9+").defaultValue(-1).ignorable();
        public static final StructArrayField TOPICS = B.array("topics", "8+", OffsetFetchRequestTopics.SCHEMA).nullable("8+");
        public static final StructSchema SCHEMA = B.build();

        private OffsetFetchRequestGroup() {
        }
    }

    /** An element of {@code topics} in OffsetFetchRequestGroup. */
    public static final class OffsetFetchRequestTopics {
        private static final StructBuilder B = new StructBuilder("OffsetFetchRequestTopics");
        public static final StringField NAME = B.string("name", "8-9").ignorable();
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "10+").ignorable();
        public static final Int32ArrayField PARTITION_INDEXES = B.int32Array("partition_indexes", "8+");
        public static final StructSchema SCHEMA = B.build();

        private OffsetFetchRequestTopics() {
        }
    }
}
