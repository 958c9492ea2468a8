package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * ListTransactions request body (API key 66), versions 0-2, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ListTransactionsRequest {
    private static final StructBuilder B = new StructBuilder("ListTransactionsRequest");
    public static final StringArrayField STATE_FILTERS = B.stringArray("state_filters", "0+");
    public static final Int64ArrayField PRODUCER_ID_FILTERS = B.int64Array("producer_id_filters", "0+");
    public static final Int64Field DURATION_FILTER = B.int64("duration_filter", "1+").defaultValue(-1L);
    public static final StringField TRANSACTIONAL_ID_PATTERN = B.string("transactional_id_pattern", "2+").nullable("2+").defaultValue(null);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.LIST_TRANSACTIONS, B.build());

    private ListTransactionsRequest() {
    }
}
