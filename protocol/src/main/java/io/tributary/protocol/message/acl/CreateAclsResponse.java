package io.tributary.protocol.message.acl;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/** CreateAcls response body (API key 30), versions 1-3, flexible from 2: one result per creation, in request order. */
public final class CreateAclsResponse {
    private static final StructBuilder B = new StructBuilder("CreateAclsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "1+");
    public static final StructArrayField RESULTS = B.array("results", "1+", AclCreationResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.CREATE_ACLS, B.build());

    private CreateAclsResponse() {
    }

    /** An element of {@code results}. */
    public static final class AclCreationResult {
        private static final StructBuilder B = new StructBuilder("AclCreationResult");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "1+");
        public static final StringField ERROR_MESSAGE = B.string("error_message", "1+").nullable("1+");
        public static final StructSchema SCHEMA = B.build();

        private AclCreationResult() {
        }
    }
}
