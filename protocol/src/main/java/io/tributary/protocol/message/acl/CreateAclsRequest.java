package io.tributary.protocol.message.acl;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/** CreateAcls request body (API key 30), versions 1-3, flexible from 2: one ACL binding per creation. */
public final class CreateAclsRequest {
    private static final StructBuilder B = new StructBuilder("CreateAclsRequest");
    public static final StructArrayField CREATIONS = B.array("creations", "1+", AclCreation.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.CREATE_ACLS, B.build());

    private CreateAclsRequest() {
    }

    /** An element of {@code creations}. */
    public static final class AclCreation {
        private static final StructBuilder B = new StructBuilder("AclCreation");
        public static final Int8Field RESOURCE_TYPE = B.int8("resource_type", "1+");
        public static final StringField RESOURCE_NAME = B.string("resource_name", "1+");
        public static final Int8Field RESOURCE_PATTERN_TYPE = B.int8("resource_pattern_type", "1+").defaultValue(3);
        public static final StringField PRINCIPAL = B.string("principal", "1+");
        public static final StringField HOST = B.string("host", "1+");
        public static final Int8Field OPERATION = B.int8("operation", "1+");
        public static final Int8Field PERMISSION_TYPE = B.int8("permission_type", "1+");
        public static final StructSchema SCHEMA = B.build();

        private AclCreation() {
        }
    }
}
