package io.tributary.server.network;

import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.security.SaslAuthenticateRequest;
import io.tributary.protocol.message.security.SaslAuthenticateResponse;
import io.tributary.protocol.message.security.SaslHandshakeRequest;
import io.tributary.protocol.message.security.SaslHandshakeResponse;
import io.tributary.server.security.SaslSettings;
import io.tributary.server.security.sasl.CredentialStore;
import io.tributary.server.security.sasl.PlainExchange;
import io.tributary.server.security.sasl.SaslExchange;
import io.tributary.server.security.sasl.ScramExchange;
import io.tributary.server.security.sasl.ScramMechanism;

import java.nio.ByteBuffer;

/**
 * One connection's SASL authentication on a SASL_PLAINTEXT or SASL_SSL listener, with KIP-152 framing: SaslHandshake v1
 * picks the mechanism, then each SASL token travels in a SaslAuthenticate request and its answer. Until it succeeds the
 * connection may send only ApiVersions and these two ({@link ConnectionHandler} enforces that). A refusal is answered
 * (UNSUPPORTED_SASL_MECHANISM, ILLEGAL_SASL_STATE, SASL_AUTHENTICATION_FAILED with Kafka's words) and the connection
 * is closed after that answer. SaslHandshake v0 (tokens without Kafka framing, before KIP-152) is refused with
 * UNSUPPORTED_VERSION: every Kafka client since 1.0 sends v1. Re-authentication (KIP-368) is not offered: the session
 * lifetime is 0. Event-loop confined.
 */
final class SaslAuthenticator {
    /** An answer to send, whether to close after it, and whether it is a failed authentication (delayed and counted). */
    record Answer(Struct body, boolean closeAfter, boolean failedAuthentication) {
    }

    private final SaslSettings settings;
    private final CredentialStore credentials;
    private SaslExchange exchange;
    private String user;

    SaslAuthenticator(SaslSettings settings, CredentialStore credentials) {
        this.settings = settings;
        this.credentials = credentials;
    }

    boolean isAuthenticated() {
        return user != null;
    }

    /** The authenticated user's name, or null. */
    String user() {
        return user;
    }

    Answer handshake(short version, Struct request) {
        String mechanism = request.get(SaslHandshakeRequest.MECHANISM);
        Struct response = SaslHandshakeResponse.SCHEMA.newStruct().set(SaslHandshakeResponse.MECHANISMS, settings.enabledMechanisms());
        if (exchange != null) {
            return new Answer(response.set(SaslHandshakeResponse.ERROR_CODE, ErrorCode.ILLEGAL_SASL_STATE.code()), true, false);
        }
        if (version < 1) {
            return new Answer(response.set(SaslHandshakeResponse.ERROR_CODE, ErrorCode.UNSUPPORTED_VERSION.code()), true, false);
        }
        if (!settings.enabledMechanisms().contains(mechanism)) {
            return new Answer(response.set(SaslHandshakeResponse.ERROR_CODE, ErrorCode.UNSUPPORTED_SASL_MECHANISM.code()), true, true);
        }
        exchange = mechanism.equals(SaslSettings.PLAIN) ? new PlainExchange(settings.plainPasswords())
            : new ScramExchange(ScramMechanism.named(mechanism), credentials);
        return new Answer(response.set(SaslHandshakeResponse.ERROR_CODE, ErrorCode.NONE.code()), false, false);
    }

    Answer authenticate(Struct request) {
        Struct response = SaslAuthenticateResponse.SCHEMA.newStruct();
        if (exchange == null) {
            return new Answer(response.set(SaslAuthenticateResponse.ERROR_CODE, ErrorCode.ILLEGAL_SASL_STATE.code())
                .set(SaslAuthenticateResponse.ERROR_MESSAGE, "Unexpected SaslAuthenticate request before SaslHandshake"), true, false);
        }
        ByteBuffer bytes = request.get(SaslAuthenticateRequest.AUTH_BYTES);
        byte[] token = new byte[bytes == null ? 0 : bytes.remaining()];
        if (bytes != null) {
            bytes.duplicate().get(token);
        }
        SaslExchange.Step step = exchange.evaluate(token);
        if (step.isRefused()) {
            return new Answer(response.set(SaslAuthenticateResponse.ERROR_CODE, ErrorCode.SASL_AUTHENTICATION_FAILED.code())
                .set(SaslAuthenticateResponse.ERROR_MESSAGE, step.failure()), true, true);
        }
        if (step.isComplete()) {
            user = step.authenticatedUser();
        }
        return new Answer(response.set(SaslAuthenticateResponse.ERROR_CODE, ErrorCode.NONE.code())
            .set(SaslAuthenticateResponse.AUTH_BYTES, ByteBuffer.wrap(step.response())), false, false);
    }
}
