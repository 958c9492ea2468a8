package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * CreatePartitions response body (API key 37), versions 0-3, flexible from version 2.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class CreatePartitionsResponse {
    private static final StructBuilder B = new StructBuilder("CreatePartitionsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final StructArrayField RESULTS = B.array("results", "0+", CreatePartitionsTopicResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.CREATE_PARTITIONS, B.build());

    private CreatePartitionsResponse() {
    }

    /** An element of {@code results} in CreatePartitionsResponse. */
    public static final class CreatePartitionsTopicResult {
        private static final StructBuilder B = new StructBuilder("CreatePartitionsTopicResult");
        public static final StringField NAME = B.string("name", "0+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+").defaultValue(null);
        public static final StructSchema SCHEMA = B.build();

        private CreatePartitionsTopicResult() {
        }
    }
}
