package io.tributary.protocol.message.metadata;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * ApiVersions request body (API key 18), versions 0-4, flexible from version 3.
 * Fields and their structs in wire order; see {@link StructBuilder} for the notation.
 */
public final class ApiVersionsRequest {
    private static final StructBuilder B = new StructBuilder("ApiVersionsRequest");
    public static final StringField CLIENT_SOFTWARE_NAME = B.string("client_software_name", "3+").ignorable();
    public static final StringField CLIENT_SOFTWARE_VERSION = B.string("client_software_version", "3+").ignorable();
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.API_VERSIONS, B.build());

    private ApiVersionsRequest() {
    }
}
