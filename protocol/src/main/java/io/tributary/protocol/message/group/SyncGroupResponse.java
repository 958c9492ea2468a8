package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BytesField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * SyncGroup response body (API key 14), versions 0-5, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class SyncGroupResponse {
    private static final StructBuilder B = new StructBuilder("SyncGroupResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+").ignorable();
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StringField PROTOCOL_TYPE = B.string("protocol_type", "5+").nullable("5+").defaultValue(null).ignorable();
    public static final StringField PROTOCOL_NAME = B.string("protocol_name", "5+").nullable("5+").defaultValue(null).ignorable();
    public static final BytesField ASSIGNMENT = B.bytes("assignment", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.SYNC_GROUP, B.build());

    private SyncGroupResponse() {
    }
}
