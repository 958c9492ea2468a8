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

/** DeleteAcls response body (API key 31), versions 1-3, flexible from 2: per filter, the ACLs it deleted. */
public final class DeleteAclsResponse {
    private static final StructBuilder B = new StructBuilder("DeleteAclsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+");
    public static final StructArrayField FILTER_RESULTS = B.array("filter_results", "1+", DeleteAclsFilterResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DELETE_ACLS, B.build());

    private DeleteAclsResponse() {
    }

    /** An element of {@code filter_results}, in the order of the request's filters. */
    public static final class DeleteAclsFilterResult {
        private static final StructBuilder B = new StructBuilder("DeleteAclsFilterResult");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "1+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "1+").nullable("1+").defaultValue(null);
        public static final StructArrayField MATCHING_ACLS = B.array("matching_acls", "1+", DeleteAclsMatchingAcl.SCHEMA);
        public static final StructSchema SCHEMA = B.build();

        private DeleteAclsFilterResult() {
        }
    }

    /** An element of {@code matching_acls}: one deleted ACL binding. */
    public static final class DeleteAclsMatchingAcl {
        private static final StructBuilder B = new StructBuilder("DeleteAclsMatchingAcl");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "1+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "1+").nullable("1+").defaultValue(null);
        public static final Int8Field RESOURCE_TYPE = B.int8("resource_type", "1+");
        public static final StringField RESOURCE_NAME = B.string("resource_name", "1+");
        public static final Int8Field PATTERN_TYPE = B.int8("pattern_type", "1+").defaultValue(3);
        public static final StringField PRINCIPAL = B.string("principal", "1+");
        public static final StringField HOST = B.string("host", "1+");
        public static final Int8Field OPERATION = B.int8("operation", "1+");
        public static final Int8Field PERMISSION_TYPE = B.int8("permission_type", "1+");
        public static final StructSchema SCHEMA = B.build();

        private DeleteAclsMatchingAcl() {
        }
    }
}
