package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * IncrementalAlterConfigs response body (API key 44), versions 0-1, flexible from version 1.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class IncrementalAlterConfigsResponse {
    private static final StructBuilder B = new StructBuilder("IncrementalAlterConfigsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final StructArrayField RESPONSES = B.array("responses", "0+", AlterConfigsResourceResponse.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.INCREMENTAL_ALTER_CONFIGS, B.build());

    private IncrementalAlterConfigsResponse() {
    }

    /** An element of {@code responses} in IncrementalAlterConfigsResponse. */
    public static final class AlterConfigsResourceResponse {
        private static final StructBuilder B = new StructBuilder("AlterConfigsResourceResponse");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+");
        public static final Int8Field RESOURCE_TYPE = B.int8("resource_type", "0+");
        public static final StringField RESOURCE_NAME = B.string("resource_name", "0+");
        public static final StructSchema SCHEMA = B.build();

        private AlterConfigsResourceResponse() {
        }
    }
}
