package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * ElectLeaders request body (API key 43), versions 0-2, flexible from version 2. {@code election_type}: 0 preferred
 * (the only kind v0 knows), 1 unclean; {@code topic_partitions} null: every partition.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ElectLeadersRequest {
    /** {@code election_type} values (Kafka's ElectionType). */
    public static final byte PREFERRED = 0;
    public static final byte UNCLEAN = 1;

    private static final StructBuilder B = new StructBuilder("ElectLeadersRequest");
    public static final Int8Field ELECTION_TYPE = B.int8("election_type", "1+");
    public static final StructArrayField TOPIC_PARTITIONS = B.array("topic_partitions", "0+", TopicPartitions.SCHEMA).nullable("0+");
    public static final Int32Field TIMEOUT_MS = B.int32("timeout_ms", "0+").defaultValue(60000);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.ELECT_LEADERS, B.build());

    private ElectLeadersRequest() {
    }

    /** An element of {@code topic_partitions} in ElectLeadersRequest. */
    public static final class TopicPartitions {
        private static final StructBuilder B = new StructBuilder("TopicPartitions");
        public static final StringField TOPIC = B.string("topic", "0+");
        public static final Int32ArrayField PARTITIONS = B.int32Array("partitions", "0+");
        public static final StructSchema SCHEMA = B.build();

        private TopicPartitions() {
        }
    }
}
