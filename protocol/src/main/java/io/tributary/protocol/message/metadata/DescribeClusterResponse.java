package io.tributary.protocol.message.metadata;

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
 * DescribeCluster response body (API key 60), versions 0-2, flexible from version 0.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DescribeClusterResponse {
    private static final StructBuilder B = new StructBuilder("DescribeClusterResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+").defaultValue(null);
    public static final Int8Field ENDPOINT_TYPE = B.int8("endpoint_type", "1+").defaultValue(1);
    public static final StringField CLUSTER_ID = B.string("cluster_id", "0+");
    public static final Int32Field CONTROLLER_ID = B.int32("controller_id", "0+").defaultValue(-1);
    public static final StructArrayField BROKERS = B.array("brokers", "0+", DescribeClusterBroker.SCHEMA);
    public static final Int32Field CLUSTER_AUTHORIZED_OPERATIONS = B.int32("cluster_authorized_operations", "0+").defaultValue(-2147483648);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DESCRIBE_CLUSTER, B.build());

    private DescribeClusterResponse() {
    }

    /** An element of {@code brokers} in DescribeClusterResponse. */
    public static final class DescribeClusterBroker {
        private static final StructBuilder B = new StructBuilder("DescribeClusterBroker");
        public static final Int32Field BROKER_ID = B.int32("broker_id", "0+");
        public static final StringField HOST = B.string("host", "0+");
        public static final Int32Field PORT = B.int32("port", "0+");
        public static final StringField RACK = B.string("rack", "0+").nullable("0+").defaultValue(null);
        public static final BoolField IS_FENCED = B.bool("is_fenced", "2+");
        public static final StructSchema SCHEMA = B.build();

        private DescribeClusterBroker() {
        }
    }
}
