package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * AddOffsetsToTxn response body (API key 25), versions 0-4, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class AddOffsetsToTxnResponse {
    private static final StructBuilder B = new StructBuilder("AddOffsetsToTxnResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.ADD_OFFSETS_TO_TXN, B.build());

    private AddOffsetsToTxnResponse() {
    }
}
