package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * LeaveGroup request body (API key 13), versions 0-5, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class LeaveGroupRequest {
    private static final StructBuilder B = new StructBuilder("LeaveGroupRequest");
    public static final StringField GROUP_ID = B.string("group_id", "0+");
    public static final StringField MEMBER_ID = B.string("member_id", "0-2");
    public static final StructArrayField MEMBERS = B.array("members", "3+", MemberIdentity.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.LEAVE_GROUP, B.build());

    private LeaveGroupRequest() {
    }

    /** An element of {@code members} in LeaveGroupRequest. */
    public static final class MemberIdentity {
        private static final StructBuilder B = new StructBuilder("MemberIdentity");
        public static final StringField MEMBER_ID = B.string("member_id", "3+");
        public static final StringField GROUP_INSTANCE_ID = B.string("group_instance_id", "3+").nullable("3+").defaultValue(null);
        public static final StringField REASON = B.string("reason", "5+").nullable("5+").defaultValue(null).ignorable();
        public static final StructSchema SCHEMA = B.build();

        private MemberIdentity() {
        }
    }
}
