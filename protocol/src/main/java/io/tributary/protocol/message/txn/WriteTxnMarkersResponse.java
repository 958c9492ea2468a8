package io.tributary.protocol.message.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.*;

/**
 * WriteTxnMarkers response body (API key 27), versions 1-2, flexible from version 1.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class WriteTxnMarkersResponse {
    private static final StructBuilder B = new StructBuilder("WriteTxnMarkersResponse");
    public static final StructArrayField MARKERS = B.array("markers", "1+", WritableTxnMarkerResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.WRITE_TXN_MARKERS, B.build());

    private WriteTxnMarkersResponse() {
    }

    /** An element of {@code markers}. */
    public static final class WritableTxnMarkerResult {
        private static final StructBuilder B = new StructBuilder("WritableTxnMarkerResult");
        public static final Int64Field PRODUCER_ID = B.int64("producer_id", "1+");
        public static final StructArrayField TOPICS = B.array("topics", "1+", WritableTxnMarkerTopicResult.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private WritableTxnMarkerResult() {
        }
    }

    /** An element of {@code topics}. */
    public static final class WritableTxnMarkerTopicResult {
        private static final StructBuilder B = new StructBuilder("WritableTxnMarkerTopicResult");
        public static final StringField NAME = B.string("name", "1+");
        public static final StructArrayField PARTITIONS = B.array("partitions", "1+", WritableTxnMarkerPartitionResult.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private WritableTxnMarkerTopicResult() {
        }
    }

    /** An element of {@code partitions}. */
    public static final class WritableTxnMarkerPartitionResult {
        private static final StructBuilder B = new StructBuilder("WritableTxnMarkerPartitionResult");
        public static final Int32Field PARTITION_INDEX = B.int32("partition_index", "1+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "1+");
        public static final StructSchema SCHEMA = B.build();

        private WritableTxnMarkerPartitionResult() {
        }
    }
}
