package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BytesField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * SyncGroup request body (API key 14), versions 0-5, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class SyncGroupRequest {
    private static final StructBuilder B = new StructBuilder("SyncGroupRequest");
    public static final StringField GROUP_ID = B.string("group_id", "0+");
    public static final Int32Field GENERATION_ID = B.int32("generation_id", "0+");
    public static final StringField MEMBER_ID = B.string("member_id", "0+");
    public static final StringField GROUP_INSTANCE_ID = B.string("group_instance_id", "3+").nullable("3+").defaultValue(null);
    public static final StringField PROTOCOL_TYPE = B.string("protocol_type", "5+").nullable("5+").defaultValue(null).ignorable();
    public static final StringField PROTOCOL_NAME = B.string("protocol_name", "5+").nullable("5+").defaultValue(null).ignorable();
    public static final StructArrayField ASSIGNMENTS = B.array("assignments", "0+", SyncGroupRequestAssignment.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.SYNC_GROUP, B.build());

    private SyncGroupRequest() {
    }

    /** An element of {@code assignments} in SyncGroupRequest. */
    public static final class SyncGroupRequestAssignment {
        private static final StructBuilder B = new StructBuilder("SyncGroupRequestAssignment");
        public static final StringField MEMBER_ID = B.string("member_id", "0+");
        public static final BytesField ASSIGNMENT = B.bytes("assignment", "0+");
        public static final StructSchema SCHEMA = B.build();

        private SyncGroupRequestAssignment() {
        }
    }
}
