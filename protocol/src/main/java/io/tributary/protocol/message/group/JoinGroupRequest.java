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
 * JoinGroup request body (API key 11), versions 0-9, flexible from version 6.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class JoinGroupRequest {
    private static final StructBuilder B = new StructBuilder("JoinGroupRequest");
    public static final StringField GROUP_ID = B.string("group_id", "0+");
    public static final Int32Field SESSION_TIMEOUT_MS = B.int32("session_timeout_ms", "0+");
    public static final Int32Field REBALANCE_TIMEOUT_MS = B.int32("rebalance_timeout_ms", "1+").defaultValue(-1).ignorable();
    public static final StringField MEMBER_ID = B.string("member_id", "0+");
    public static final StringField GROUP_INSTANCE_ID = B.string("group_instance_id", "5+").nullable("5+").defaultValue(null);
    public static final StringField PROTOCOL_TYPE = B.string("protocol_type", "0+");
    public static final StructArrayField PROTOCOLS = B.array("protocols", "0+", JoinGroupRequestProtocol.SCHEMA);
    public static final StringField REASON = B.string("reason", "8+").nullable("8+").defaultValue(null).ignorable();
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.JOIN_GROUP, B.build());

    private JoinGroupRequest() {
    }

    /** An element of {@code protocols} in JoinGroupRequest. */
    public static final class JoinGroupRequestProtocol {
        private static final StructBuilder B = new StructBuilder("JoinGroupRequestProtocol");
        public static final StringField NAME = B.string("name", "0+");
        public static final BytesField METADATA = B.bytes("metadata", "0+");
        public static final StructSchema SCHEMA = B.build();

        private JoinGroupRequestProtocol() {
        }
    }
}
