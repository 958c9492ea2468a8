package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * LeaveGroup response body (API key 13), versions 0-5, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class LeaveGroupResponse {
    private static final StructBuilder B = new StructBuilder("LeaveGroupResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+").ignorable();
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StructArrayField MEMBERS = B.array("members", "3+", MemberResponse.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.LEAVE_GROUP, B.build());

    private LeaveGroupResponse() {
    }

    /** An element of {@code members} in LeaveGroupResponse. */
    public static final class MemberResponse {
        private static final StructBuilder B = new StructBuilder("MemberResponse");
        public static final StringField MEMBER_ID = B.string("member_id", "3+");
        public static final StringField GROUP_INSTANCE_ID = B.string("group_instance_id", "3+").nullable("3+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "3+");
        public static final StructSchema SCHEMA = B.build();

        private MemberResponse() {
        }
    }
}
