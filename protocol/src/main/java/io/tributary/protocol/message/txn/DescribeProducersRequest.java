package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * DescribeProducers request body (API key 61), versions 0, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeProducersRequest {
    private static final StructBuilder B = new StructBuilder("DescribeProducersRequest");
    public static final StructArrayField TOPICS = B.array("topics", "0+", TopicRequest.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DESCRIBE_PRODUCERS, B.build());

    private DescribeProducersRequest() {
    }

    /** An element of {@code topics}. */
    public static final class TopicRequest {
        private static final StructBuilder B = new StructBuilder("TopicRequest");
        public static final StringField NAME = B.string("name", "0+");
        public static final Int32ArrayField PARTITION_INDEXES = B.int32Array("partition_indexes", "0+");
        public static final StructSchema SCHEMA = B.build();

        private TopicRequest() {
        }
    }
}
