package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.BytesField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * JoinGroup response body (API key 11), versions 0-9, flexible from version 6.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class JoinGroupResponse {
    private static final StructBuilder B = new StructBuilder("JoinGroupResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "2+").ignorable();
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final Int32Field GENERATION_ID = B.int32("generation_id", "0+").defaultValue(-1);
    public static final StringField PROTOCOL_TYPE = B.string("protocol_type", "7+").nullable("7+").defaultValue(null).ignorable();
    public static final StringField PROTOCOL_NAME = B.string("protocol_name", "0+").nullable("7+");
    public static final StringField LEADER = B.string("leader", "0+");
    public static final BoolField SKIP_ASSIGNMENT = B.bool("skip_assignment", "9+");
    public static final StringField MEMBER_ID = B.string("member_id", "0+");
    public static final StructArrayField MEMBERS = B.array("members", "0+", JoinGroupResponseMember.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.JOIN_GROUP, B.build());

    private JoinGroupResponse() {
    }

    /** An element of {@code members} in JoinGroupResponse. */
    public static final class JoinGroupResponseMember {
        private static final StructBuilder B = new StructBuilder("JoinGroupResponseMember");
        public static final StringField MEMBER_ID = B.string("member_id", "0+");
        public static final StringField GROUP_INSTANCE_ID = B.string("group_instance_id", "5+").nullable("5+").defaultValue(null).ignorable();
        public static final BytesField METADATA = B.bytes("metadata", "0+");
        public static final StructSchema SCHEMA = B.build();

        private JoinGroupResponseMember() {
        }
    }
}
