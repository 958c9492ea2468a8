package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int32ArrayField;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * CreatePartitions request body (API key 37), versions 0-3, flexible from version 2.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class CreatePartitionsRequest {
    private static final StructBuilder B = new StructBuilder("CreatePartitionsRequest");
    public static final StructArrayField TOPICS = B.array("topics", "0+", CreatePartitionsTopic.SCHEMA);
    public static final Int32Field TIMEOUT_MS = B.int32("timeout_ms", "0+");
    public static final BoolField VALIDATE_ONLY = B.bool("validate_only", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.CREATE_PARTITIONS, B.build());

    private CreatePartitionsRequest() {
    }

    /** An element of {@code topics} in CreatePartitionsRequest. */
    public static final class CreatePartitionsTopic {
        private static final StructBuilder B = new StructBuilder("CreatePartitionsTopic");
        public static final StringField NAME = B.string("name", "0+");
        public static final Int32Field COUNT = B.int32("count", "0+");
        public static final StructArrayField ASSIGNMENTS = B.array("assignments", "0+", CreatePartitionsAssignment.SCHEMA).nullable("0+");
        public static final StructSchema SCHEMA = B.build();

        private CreatePartitionsTopic() {
        }
    }

    /** An element of {@code assignments} in CreatePartitionsTopic. */
    public static final class CreatePartitionsAssignment {
        private static final StructBuilder B = new StructBuilder("CreatePartitionsAssignment");
        public static final Int32ArrayField BROKER_IDS = B.int32Array("broker_ids", "0+");
        public static final StructSchema SCHEMA = B.build();

        private CreatePartitionsAssignment() {
        }
    }
}
