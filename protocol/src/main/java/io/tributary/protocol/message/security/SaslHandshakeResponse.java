package io.tributary.protocol.message.security;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringArrayField;
import io.tributary.protocol.message.schema.StructBuilder;

/** SaslHandshake response body (API key 17), versions 0-1, never flexible: the mechanisms the listener enables. */
public final class SaslHandshakeResponse {
    private static final StructBuilder B = new StructBuilder("SaslHandshakeResponse");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StringArrayField MECHANISMS = B.stringArray("mechanisms", "0+");
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.SASL_HANDSHAKE, B.build());

    private SaslHandshakeResponse() {
    }
}
