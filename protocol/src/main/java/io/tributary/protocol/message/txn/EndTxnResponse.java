package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * EndTxn response body (API key 26), versions 0-5, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class EndTxnResponse {
    private static final StructBuilder B = new StructBuilder("EndTxnResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final Int64Field PRODUCER_ID = B.int64("producer_id", "5+").defaultValue(-1L).ignorable();
    public static final Int16Field PRODUCER_EPOCH = B.int16("producer_epoch", "5+").defaultValue(-1).ignorable();
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.END_TXN, B.build());

    private EndTxnResponse() {
    }
}
