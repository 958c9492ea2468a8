package io.tributary.protocol.message.metadata;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BoolField;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * DescribeCluster request body (API key 60), versions 0-2, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeClusterRequest {
    private static final StructBuilder B = new StructBuilder("DescribeClusterRequest");
    public static final BoolField INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS = B.bool("include_cluster_authorized_operations", "0+");
    public static final Int8Field ENDPOINT_TYPE = B.int8("endpoint_type", "1+").defaultValue(1);
    public static final BoolField INCLUDE_FENCED_BROKERS = B.bool("include_fenced_brokers", "2+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DESCRIBE_CLUSTER, B.build());

    private DescribeClusterRequest() {
    }
}
