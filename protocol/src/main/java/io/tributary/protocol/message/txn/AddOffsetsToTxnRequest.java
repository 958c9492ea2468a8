package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * AddOffsetsToTxn request body (API key 25), versions 0-4, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class AddOffsetsToTxnRequest {
    private static final StructBuilder B = new StructBuilder("AddOffsetsToTxnRequest");
    public static final StringField TRANSACTIONAL_ID = B.string("transactional_id", "0+");
    public static final Int64Field PRODUCER_ID = B.int64("producer_id", "0+");
    public static final Int16Field PRODUCER_EPOCH = B.int16("producer_epoch", "0+");
    public static final StringField GROUP_ID = B.string("group_id", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.ADD_OFFSETS_TO_TXN, B.build());

    private AddOffsetsToTxnRequest() {
    }
}
