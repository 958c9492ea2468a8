package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringArrayField;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * ListGroups request body (API key 16), versions 0-5, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ListGroupsRequest {
    private static final StructBuilder B = new StructBuilder("ListGroupsRequest");
    public static final StringArrayField STATES_FILTER = B.stringArray("states_filter", "4+");
    public static final StringArrayField TYPES_FILTER = B.stringArray("types_filter", "5+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.LIST_GROUPS, B.build());

    private ListGroupsRequest() {
    }
}
