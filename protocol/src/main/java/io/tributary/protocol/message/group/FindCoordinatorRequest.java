package io.tributary.protocol.message.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringArrayField;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * FindCoordinator request body (API key 10), versions 0-6, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class FindCoordinatorRequest {
    private static final StructBuilder B = new StructBuilder("FindCoordinatorRequest");
    public static final StringField KEY = B.string("key", "0-3");
    public static final Int8Field KEY_TYPE = B.int8("key_type", "1+");
    public static final StringArrayField COORDINATOR_KEYS = B.stringArray("coordinator_keys", "4+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.FIND_COORDINATOR, B.build());

    private FindCoordinatorRequest() {
    }
}
