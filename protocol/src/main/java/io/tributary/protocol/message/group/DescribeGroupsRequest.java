package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringArrayField;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * DescribeGroups request body (API key 15), versions 0-6, flexible from version 5.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeGroupsRequest {
    private static final StructBuilder B = new StructBuilder("DescribeGroupsRequest");
    public static final StringArrayField GROUPS = B.stringArray("groups", "0+");
    public static final BoolField INCLUDE_AUTHORIZED_OPERATIONS = B.bool("include_authorized_operations", "3+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DESCRIBE_GROUPS, B.build());

    private DescribeGroupsRequest() {
    }
}
