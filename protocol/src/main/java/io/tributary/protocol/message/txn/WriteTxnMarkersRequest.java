package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * WriteTxnMarkers request body (API key 27), versions 1-2, flexible from version 1.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class WriteTxnMarkersRequest {
    private static final StructBuilder B = new StructBuilder("WriteTxnMarkersRequest");
    public static final StructArrayField MARKERS = B.array("markers", "1+", WritableTxnMarker.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.WRITE_TXN_MARKERS, B.build());

    private WriteTxnMarkersRequest() {
    }

    /** An element of {@code markers}. */
    public static final class WritableTxnMarker {
        private static final StructBuilder B = new StructBuilder("WritableTxnMarker");
        public static final Int64Field PRODUCER_ID = B.int64("producer_id", "1+");
        public static final Int16Field PRODUCER_EPOCH = B.int16("producer_epoch", "1+");
        public static final BoolField TRANSACTION_RESULT = B.bool("transaction_result", "1+");
        public static final StructArrayField TOPICS = B.array("topics", "1+", WritableTxnMarkerTopic.SCHEMA);
        public static final Int32Field COORDINATOR_EPOCH = B.int32("coordinator_epoch", "1+");
        public static final Int8Field TRANSACTION_VERSION = B.int8("transaction_version", "2+").ignorable();
        public static final StructSchema SCHEMA = B.build();

        private WritableTxnMarker() {
        }
    }

    /** An element of {@code topics}. */
    public static final class WritableTxnMarkerTopic {
        private static final StructBuilder B = new StructBuilder("WritableTxnMarkerTopic");
        public static final StringField NAME = B.string("name", "1+");
        public static final Int32ArrayField PARTITION_INDEXES = B.int32Array("partition_indexes", "1+");
        public static final StructSchema SCHEMA = B.build();

        private WritableTxnMarkerTopic() {
        }
    }
}
