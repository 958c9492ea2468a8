package io.tributary.protocol.message.admin;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringArrayField;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * DescribeConfigs request body (API key 32), versions 1-4, flexible from version 4.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeConfigsRequest {
    private static final StructBuilder B = new StructBuilder("DescribeConfigsRequest");
    public static final StructArrayField RESOURCES = B.array("resources", "1+", DescribeConfigsResource.SCHEMA);
    public static final BoolField INCLUDE_SYNONYMS = B.bool("include_synonyms", "1+");
    public static final BoolField INCLUDE_DOCUMENTATION = B.bool("include_documentation", "3+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DESCRIBE_CONFIGS, B.build());

    private DescribeConfigsRequest() {
    }

    /** An element of {@code resources} in DescribeConfigsRequest. */
    public static final class DescribeConfigsResource {
        private static final StructBuilder B = new StructBuilder("DescribeConfigsResource");
        public static final Int8Field RESOURCE_TYPE = B.int8("resource_type", "1+");
        public static final StringField RESOURCE_NAME = B.string("resource_name", "1+");
        public static final StringArrayField CONFIGURATION_KEYS = B.stringArray("configuration_keys", "1+").nullable("1+");
        public static final StructSchema SCHEMA = B.build();

        private DescribeConfigsResource() {
        }
    }
}
