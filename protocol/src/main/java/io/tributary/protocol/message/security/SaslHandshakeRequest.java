package io.tributary.protocol.message.security;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructBuilder;

/**
 * SaslHandshake request body (API key 17), versions 0-1, never flexible. Version 1 (KIP-152) means the SASL tokens
 * that follow travel inside SaslAuthenticate requests.
 */
public final class SaslHandshakeRequest {
    private static final StructBuilder B = new StructBuilder("SaslHandshakeRequest");
    public static final StringField MECHANISM = B.string("mechanism", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.request(ApiKey.SASL_HANDSHAKE, B.build());

    private SaslHandshakeRequest() {
    }
}
