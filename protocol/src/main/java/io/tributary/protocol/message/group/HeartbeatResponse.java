package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * Heartbeat response body (API key 12), versions 0-4, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class HeartbeatResponse {
    private static final StructBuilder B = new StructBuilder("HeartbeatResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+").ignorable();
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.HEARTBEAT, B.build());

    private HeartbeatResponse() {
    }
}
