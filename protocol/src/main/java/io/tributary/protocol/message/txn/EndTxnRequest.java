package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * EndTxn request body (API key 26), versions 0-5, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class EndTxnRequest {
    private static final StructBuilder B = new StructBuilder("EndTxnRequest");
    public static final StringField TRANSACTIONAL_ID = B.string("transactional_id", "0+");
    public static final Int64Field PRODUCER_ID = B.int64("producer_id", "0+");
    public static final Int16Field PRODUCER_EPOCH = B.int16("producer_epoch", "0+");
    public static final BoolField COMMITTED = B.bool("committed", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.END_TXN, B.build());

    private EndTxnRequest() {
    }
}
