package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BytesField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * DescribeGroups response body (API key 15), versions 0-6, flexible from version 5.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeGroupsResponse {
    private static final StructBuilder B = new StructBuilder("DescribeGroupsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+").ignorable();
    public static final StructArrayField GROUPS = B.array("groups", "0+", DescribedGroup.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DESCRIBE_GROUPS, B.build());

    private DescribeGroupsResponse() {
    }

    /** An element of {@code groups} in DescribeGroupsResponse. */
    public static final class DescribedGroup {
        private static final StructBuilder B = new StructBuilder("DescribedGroup");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "6+").nullable("6+").defaultValue(null);
        public static final StringField GROUP_ID = B.string("group_id", "0+");
        public static final StringField GROUP_STATE = B.string("group_state", "0+");
        public static final StringField PROTOCOL_TYPE = B.string("protocol_type", "0+");
        public static final StringField PROTOCOL_DATA = B.string("protocol_data", "0+");
        public static final StructArrayField MEMBERS = B.array("members", "0+", DescribedGroupMember.SCHEMA);
        public static final Int32Field AUTHORIZED_OPERATIONS = B.int32("authorized_operations", "3+").defaultValue(-2147483648);
        public static final StructSchema SCHEMA = B.build();

        private DescribedGroup() {
        }
    }

    /** An element of {@code members} in DescribedGroup. */
    public static final class DescribedGroupMember {
        private static final StructBuilder B = new StructBuilder("DescribedGroupMember");
        public static final StringField MEMBER_ID = B.string("member_id", "0+");
        public static final StringField GROUP_INSTANCE_ID = B.string("group_instance_id", "4+").nullable("4+").defaultValue(null).ignorable();
        public static final StringField CLIENT_ID = B.string("client_id", "0+");
        public static final StringField CLIENT_HOST = B.string("client_host", "0+");
        public static final BytesField MEMBER_METADATA = B.bytes("member_metadata", "0+");
        public static final BytesField MEMBER_ASSIGNMENT = B.bytes("member_assignment", "0+");
        public static final StructSchema SCHEMA = B.build();

        private DescribedGroupMember() {
        }
    }
}
