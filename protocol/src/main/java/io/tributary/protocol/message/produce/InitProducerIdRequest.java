package io.tributary.protocol.message.produce;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * InitProducerId request body (API key 22), versions 0-5, flexible from version 2.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class InitProducerIdRequest {
    private static final StructBuilder B = new StructBuilder("InitProducerIdRequest");
    public static final StringField TRANSACTIONAL_ID = B.string("transactional_id", "0+").nullable("0+");
    public static final Int32Field TRANSACTION_TIMEOUT_MS = B.int32("transaction_timeout_ms", "0+");
    public static final Int64Field PRODUCER_ID = B.int64("producer_id", "3+").defaultValue(-1L);
    public static final Int16Field PRODUCER_EPOCH = B.int16("producer_epoch", "3+").defaultValue(-1);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.INIT_PRODUCER_ID, B.build());

    private InitProducerIdRequest() {
    }
}
