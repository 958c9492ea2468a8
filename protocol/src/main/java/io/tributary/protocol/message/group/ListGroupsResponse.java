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
 * ListGroups response body (API key 16), versions 0-5, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ListGroupsResponse {
    private static final StructBuilder B = new StructBuilder("ListGroupsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+").ignorable();
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StructArrayField GROUPS = B.array("groups", "0+", ListedGroup.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.LIST_GROUPS, B.build());

    private ListGroupsResponse() {
    }

    /** An element of {@code groups} in ListGroupsResponse. */
    public static final class ListedGroup {
        private static final StructBuilder B = new StructBuilder("ListedGroup");
        public static final StringField GROUP_ID = B.string("group_id", "0+");
        public static final StringField PROTOCOL_TYPE = B.string("protocol_type", "0+");
        public static final StringField GROUP_STATE = B.string("group_state", "4+").ignorable();
        public static final StringField GROUP_TYPE = B.string("group_type", "5+").ignorable();
        public static final StructSchema SCHEMA = B.build();

        private ListedGroup() {
        }
    }
}
