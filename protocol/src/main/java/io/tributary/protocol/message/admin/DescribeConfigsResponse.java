package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * DescribeConfigs response body (API key 32), versions 1-4, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeConfigsResponse {
    private static final StructBuilder B = new StructBuilder("DescribeConfigsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+");
    public static final StructArrayField RESULTS = B.array("results", "1+", DescribeConfigsResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DESCRIBE_CONFIGS, B.build());

    private DescribeConfigsResponse() {
    }

    /** An element of {@code results} in DescribeConfigsResponse. */
    public static final class DescribeConfigsResult {
        private static final StructBuilder B = new StructBuilder("DescribeConfigsResult");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "1+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "1+").nullable("1+");
        public static final Int8Field RESOURCE_TYPE = B.int8("resource_type", "1+");
        public static final StringField RESOURCE_NAME = B.string("resource_name", "1+");
        public static final StructArrayField CONFIGS = B.array("configs", "1+", DescribeConfigsResourceResult.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private DescribeConfigsResult() {
        }
    }

    /** An element of {@code configs} in DescribeConfigsResult. */
    public static final class DescribeConfigsResourceResult {
        private static final StructBuilder B = new StructBuilder("DescribeConfigsResourceResult");
        public static final StringField NAME = B.string("name", "1+");
        public static final StringField VALUE = B.string("value", "1+").nullable("1+");
        public static final BoolField READ_ONLY = B.bool("read_only", "1+");
        public static final Int8Field CONFIG_SOURCE = B.int8("config_source", "1+").defaultValue(-1);
        public static final BoolField IS_SENSITIVE = B.bool("is_sensitive", "1+");
        public static final StructArrayField SYNONYMS = B.array("synonyms", "1+", DescribeConfigsSynonym.SCHEMA);
        public static final Int8Field CONFIG_TYPE = B.int8("config_type", "3+").ignorable();
        public static final StringField DOCUMENTATION = B.string("documentation", "3+").nullable("3+").ignorable();
        public static final StructSchema SCHEMA = B.build();

        private DescribeConfigsResourceResult() {
        }
    }

    /** An element of {@code synonyms} in DescribeConfigsResourceResult. */
    public static final class DescribeConfigsSynonym {
        private static final StructBuilder B = new StructBuilder("DescribeConfigsSynonym");
        public static final StringField NAME = B.string("name", "1+");
        public static final StringField VALUE = B.string("value", "1+").nullable("1+");
        public static final Int8Field SOURCE = B.int8("source", "1+");
        public static final StructSchema SCHEMA = B.build();

        private DescribeConfigsSynonym() {
        }
    }
}
