package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * Heartbeat request body (API key 12), versions 0-4, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class HeartbeatRequest {
    private static final StructBuilder B = new StructBuilder("HeartbeatRequest");
    public static final StringField GROUP_ID = B.string("group_id", "0+");
    public static final Int32Field GENERATION_ID = B.int32("generation_id", "0+");
    public static final StringField MEMBER_ID = B.string("member_id", "0+");
    public static final StringField GROUP_INSTANCE_ID = B.string("group_instance_id", "3+").nullable("3+").defaultValue(null);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.HEARTBEAT, B.build());

    private HeartbeatRequest() {
    }
}
