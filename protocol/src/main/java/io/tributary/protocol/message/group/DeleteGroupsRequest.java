package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringArrayField;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * DeleteGroups request body (API key 42), versions 0-2, flexible from version 2.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class DeleteGroupsRequest {
    private static final StructBuilder B = new StructBuilder("DeleteGroupsRequest");
    public static final StringArrayField GROUPS_NAMES = B.stringArray("groups_names", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.DELETE_GROUPS, B.build());

    private DeleteGroupsRequest() {
    }
}
