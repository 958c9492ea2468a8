package io.tributary.protocol.message.acl;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructBuilder;

/** DescribeAcls request body (API key 29), versions 1-3, flexible from 2: one filter; null strings match anything. */
public final class DescribeAclsRequest {
    private static final StructBuilder B = new StructBuilder("DescribeAclsRequest");
    public static final Int8Field RESOURCE_TYPE_FILTER = B.int8("resource_type_filter", "1+");
    public static final StringField RESOURCE_NAME_FILTER = B.string("resource_name_filter", "1+").nullable("1+");
    public static final Int8Field PATTERN_TYPE_FILTER = B.int8("pattern_type_filter", "1+").defaultValue(3);
    public static final StringField PRINCIPAL_FILTER = B.string("principal_filter", "1+").nullable("1+");
    public static final StringField HOST_FILTER = B.string("host_filter", "1+").nullable("1+");
    public static final Int8Field OPERATION = B.int8("operation", "1+");
    public static final Int8Field PERMISSION_TYPE = B.int8("permission_type", "1+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DESCRIBE_ACLS, B.build());

    private DescribeAclsRequest() {
    }
}
