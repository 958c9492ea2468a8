package io.tributary.protocol.message.security;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.BytesField;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int64Field;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructBuilder;

/** SaslAuthenticate response body (API key 36), versions 0-2, flexible from version 2: the server's SASL token. */
public final class SaslAuthenticateResponse {
    private static final StructBuilder B = new StructBuilder("SaslAuthenticateResponse");
    public static final Int16Field ERROR_CODE = B.int16("error_code", "0+");
    public static final StringField ERROR_MESSAGE = B.string("error_message", "0+").nullable("0+");
    public static final BytesField AUTH_BYTES = B.bytes("auth_bytes", "0+");
    public static final Int64Field SESSION_LIFETIME_MS = B.int64("session_lifetime_ms", "1+").ignorable();
    public static final MessageSchema SCHEMA = MessageSchema.response(ApiKey.SASL_AUTHENTICATE, B.build());

    private SaslAuthenticateResponse() {
    }
}
