package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int32Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.schema.StructBuilder;
import io.tributary.protocol.message.schema.StructSchema;

/**
 * DeleteGroups response body (API key 42), versions 0-2, flexible from version 2.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DeleteGroupsResponse {
    private static final StructBuilder B = new StructBuilder("DeleteGroupsResponse");
    public static final Int32Field THROTTLE_TIME_MS = B.int32("throttle_time_ms", "0+");
    public static final StructArrayField RESULTS = B.array("results", "0+", DeletableGroupResult.SCHEMA);
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.DELETE_GROUPS, B.build());

    private DeleteGroupsResponse() {
    }

    /** An element of {@code results} in DeleteGroupsResponse. */
    public static final class DeletableGroupResult {
        private static final StructBuilder B = new StructBuilder("DeletableGroupResult");
        public static final StringField GROUP_ID = B.string("group_id", "0+");
        public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
        public static final StructSchema SCHEMA = B.build();

        private DeletableGroupResult() {
        }
    }
}
