package io.tributary.protocol.message.acl;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/** DescribeAcls response body (API key 29), versions 1-3, flexible from 2: the matching ACLs grouped by resource pattern. */
public final class DescribeAclsResponse {
    private static final StructBuilder B = new StructBuilder("DescribeAclsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "1+");
    public static final StringField ERROR_MESSAGE = B.string("error_message", "1+").nullable("1+");
    public static final StructArrayField RESOURCES = B.array("resources", "1+", DescribeAclsResource.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DESCRIBE_ACLS, B.build());

    private DescribeAclsResponse() {
    }

    /** An element of {@code resources}: one resource pattern. */
    public static final class DescribeAclsResource {
        private static final StructBuilder B = new StructBuilder("DescribeAclsResource");
        public static final Int8Field RESOURCE_TYPE = B.int8("resource_type", "1+");
        public static final StringField RESOURCE_NAME = B.string("resource_name", "1+");
        public static final Int8Field PATTERN_TYPE = B.int8("pattern_type", "1+").defaultValue(3);
        public static final StructArrayField ACLS = B.array("acls", "1+", AclDescription.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private DescribeAclsResource() {
        }
    }

    /** An element of {@code acls}. */
    public static final class AclDescription {
        private static final StructBuilder B = new StructBuilder("AclDescription");
        public static final StringField PRINCIPAL = B.string("principal", "1+");
        public static final StringField HOST = B.string("host", "1+");
        public static final Int8Field OPERATION = B.int8("operation", "1+");
        public static final Int8Field PERMISSION_TYPE = B.int8("permission_type", "1+");
        public static final StructSchema SCHEMA = B.build();

        private AclDescription() {
        }
    }
}
