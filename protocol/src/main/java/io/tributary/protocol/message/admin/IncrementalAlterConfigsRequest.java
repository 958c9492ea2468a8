package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * IncrementalAlterConfigs request body (API key 44), versions 0-1, flexible from version 1.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class IncrementalAlterConfigsRequest {
    private static final StructBuilder B = new StructBuilder("IncrementalAlterConfigsRequest");
    public static final StructArrayField RESOURCES = B.array("resources", "0+", AlterConfigsResource.SCHEMA);
    public static final BoolField VALIDATE_ONLY = B.bool("validate_only", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.INCREMENTAL_ALTER_CONFIGS, B.build());

    private IncrementalAlterConfigsRequest() {
    }

    /** An element of {@code resources} in IncrementalAlterConfigsRequest. */
    public static final class AlterConfigsResource {
        private static final StructBuilder B = new StructBuilder("AlterConfigsResource");
        public static final Int8Field RESOURCE_TYPE = B.int8("resource_type", "0+");
        public static final StringField RESOURCE_NAME = B.string("resource_name", "0+");
        public static final StructArrayField CONFIGS = B.array("configs", "0+", AlterableConfig.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private AlterConfigsResource() {
        }
    }

    /** An element of {@code configs} in AlterConfigsResource. */
    public static final class AlterableConfig {
        private static final StructBuilder B = new StructBuilder("AlterableConfig");
        public static final StringField NAME = B.string("name", "0+");
        public static final Int8Field CONFIG_OPERATION = B.int8("config_operation", "0+");
        public static final StringField VALUE = B.string("value", "0+").nullable("0+");
        public static final StructSchema SCHEMA = B.build();

        private AlterableConfig() {
        }
    }
}
