package io.tributary.server.network;

import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.security.SaslAuthenticateRequest;
import io.tributary.protocol.message.security.SaslAuthenticateResponse;
import io.tributary.protocol.message.security.SaslHandshakeRequest;
import io.tributary.protocol.message.security.SaslHandshakeResponse;
import io.tributary.server.security.SaslSettings;
import io.tributary.server.security.sasl.CredentialStore;
import io.tributary.server.security.sasl.OAuthBearerExchange;
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
 * UNSUPPORTED_VERSION: every Kafka client since 1.0 sends v1.
 *
 * <p>Re-authentication (KIP-368): with {@code connections.max.reauth.ms} set, a successful SaslAuthenticate (v1+) tells
 * the client its session lifetime (that, or less when an OAUTHBEARER token expires sooner); before it ends the client
 * sends SaslHandshake and SaslAuthenticate again on the same connection, with the same mechanism, and must come out as
 * the same principal. {@link #sessionExpired} tells the connection when a session has run out. Event-loop confined.
 */
final class SaslAuthenticator {
    /** An answer to send, whether to close after it, and whether it is a failed authentication (delayed and counted). */
    record Answer(Struct body, boolean closeAfter, boolean failedAuthentication) {
    }

    private final SaslSettings settings;
    private final CredentialStore credentials;
    private SaslExchange exchange;
    private String user;
    private String mechanism;
    /** A new exchange on an authenticated connection (KIP-368). */
    private boolean reauthenticating;
    /** When the session ends (System.nanoTime), or Long.MAX_VALUE when it does not. */
    private long sessionEndNanos = Long.MAX_VALUE;

    SaslAuthenticator(SaslSettings settings, CredentialStore credentials) {
        this.settings = settings;
        this.credentials = credentials;
    }

    boolean isAuthenticated() {
        return user != null;
    }

    /** Whether an authenticated connection may authenticate again (connections.max.reauth.ms set). */
    boolean mayReauthenticate() {
        return settings.reauthMs() > 0;
    }

    boolean isReauthenticating() {
        return reauthenticating;
    }

    /** Whether the authenticated session has run out without re-authentication. */
    boolean sessionExpired(long nowNanos) {
        return user != null && !reauthenticating && nowNanos - sessionEndNanos > 0;
    }

    /** The authenticated user's name, or null. */
    String user() {
        return user;
    }

    Answer handshake(short version, Struct request) {
        String requested = request.get(SaslHandshakeRequest.MECHANISM);
        Struct response = SaslHandshakeResponse.SCHEMA.newStruct().set(SaslHandshakeResponse.MECHANISMS, settings.enabledMechanisms());
        if (exchange != null && !(user != null && !reauthenticating && mayReauthenticate())) {
            return new Answer(response.set(SaslHandshakeResponse.ERROR_CODE, ErrorCode.ILLEGAL_SASL_STATE.code()), true, false);
        }
        if (user != null && !mechanism.equals(requested)) {
            // KIP-368: a re-authentication uses the mechanism the connection first authenticated with
            return new Answer(response.set(SaslHandshakeResponse.ERROR_CODE, ErrorCode.UNSUPPORTED_SASL_MECHANISM.code()), true, true);
        }
        if (version < 1) {
            return new Answer(response.set(SaslHandshakeResponse.ERROR_CODE, ErrorCode.UNSUPPORTED_VERSION.code()), true, false);
        }
        if (!settings.enabledMechanisms().contains(requested)) {
            return new Answer(response.set(SaslHandshakeResponse.ERROR_CODE, ErrorCode.UNSUPPORTED_SASL_MECHANISM.code()), true, true);
        }
        reauthenticating = user != null;
        mechanism = requested;
        exchange = switch (requested) {
            case SaslSettings.PLAIN -> new PlainExchange(settings.plainPasswords());
            case SaslSettings.OAUTHBEARER -> new OAuthBearerExchange(settings.oauth(), System::currentTimeMillis);
            default -> new ScramExchange(ScramMechanism.named(requested), credentials);
        };
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
        long lifetimeMs = 0;
        if (step.isComplete()) {
            if (reauthenticating && !step.authenticatedUser().equals(user)) {
                return new Answer(response.set(SaslAuthenticateResponse.ERROR_CODE, ErrorCode.SASL_AUTHENTICATION_FAILED.code())
                    .set(SaslAuthenticateResponse.ERROR_MESSAGE, "Cannot change principals during re-authentication from "
                        + user + " to " + step.authenticatedUser()), true, true);
            }
            user = step.authenticatedUser();
            reauthenticating = false;
            if (settings.reauthMs() > 0) {
                long untilExpiry = exchange.credentialExpiryMs() == Long.MAX_VALUE ? Long.MAX_VALUE
                    : Math.max(1, exchange.credentialExpiryMs() - System.currentTimeMillis());
                lifetimeMs = Math.min(settings.reauthMs(), untilExpiry);
                sessionEndNanos = System.nanoTime() + lifetimeMs * 1_000_000L;
            }
        }
        return new Answer(response.set(SaslAuthenticateResponse.ERROR_CODE, ErrorCode.NONE.code())
            .set(SaslAuthenticateResponse.AUTH_BYTES, ByteBuffer.wrap(step.response()))
            .set(SaslAuthenticateResponse.SESSION_LIFETIME_MS, lifetimeMs), false, false);
    }
}
