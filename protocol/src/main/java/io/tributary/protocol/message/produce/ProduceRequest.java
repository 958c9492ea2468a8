package io.tributary.protocol.message.produce;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.RecordsField;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;
import io.tributary.protocol.message.schema.UuidField;

/**
 * Produce request body (API key 0), versions 3-13, flexible from version 9.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ProduceRequest {
    private static final StructBuilder B = new StructBuilder("ProduceRequest");
    public static final StringField TRANSACTIONAL_ID = B.string("transactional_id", "3+").nullable("3+").defaultValue(null);
    public static final Int16Field ACKS = B.int16("acks", "3+");
    public static final Int32Field TIMEOUT_MS = B.int32("timeout_ms", "3+");
    public static final StructArrayField TOPIC_DATA = B.array("topic_data", "3+", TopicProduceData.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.PRODUCE, B.build());

    private ProduceRequest() {
    }

    /** An element of {@code topic_data} in ProduceRequest. */
    public static final class TopicProduceData {
        private static final StructBuilder B = new StructBuilder("TopicProduceData");
        public static final StringField NAME = B.string("name", "3-12").ignorable();
        public static final UuidField TOPIC_ID = B.uuid("topic_id", "13+").ignorable();
        public static final StructArrayField PARTITION_DATA = B.array("partition_data", "3+", PartitionProduceData.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private TopicProduceData() {
        }
    }

    /** An element of {@code partition_data} in TopicProduceData. */
    public static final class PartitionProduceData {
        private static final StructBuilder B = new StructBuilder("PartitionProduceData");
        public static final Int32Field INDEX = B.int32("index", "3+");
        public static final RecordsField RECORDS = B.records("records", "3+").nullable("3+");
        public static final StructSchema SCHEMA = B.build();

        private PartitionProduceData() {
        }
    }
}
