package io.tributary.protocol.message.produce;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * InitProducerId response body (API key 22), versions 0-5, flexible from version 2.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class InitProducerIdResponse {
    private static final StructBuilder B = new StructBuilder("InitProducerIdResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final Int64Field PRODUCER_ID = B.int64("producer_id", "0+").defaultValue(-1L);
    public static final Int16Field PRODUCER_EPOCH = B.int16("producer_epoch", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.INIT_PRODUCER_ID, B.build());

    private InitProducerIdResponse() {
    }
}
