package io.tributary.protocol.message.security;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BytesField;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StructBuilder;

/** SaslAuthenticate request body (API key 36), versions 0-2, flexible from version 2: one SASL token of the client. */
public final class SaslAuthenticateRequest {
    private static final StructBuilder B = new StructBuilder("SaslAuthenticateRequest");
    public static final BytesField AUTH_BYTES = B.bytes("auth_bytes", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.SASL_AUTHENTICATE, B.build());

    private SaslAuthenticateRequest() {
    }
}
