package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * DescribeTransactions request body (API key 65), versions 0, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeTransactionsRequest {
    private static final StructBuilder B = new StructBuilder("DescribeTransactionsRequest");
    public static final StringArrayField TRANSACTIONAL_IDS = B.stringArray("transactional_ids", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DESCRIBE_TRANSACTIONS, B.build());

    private DescribeTransactionsRequest() {
    }
}
