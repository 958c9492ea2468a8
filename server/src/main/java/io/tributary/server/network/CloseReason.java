package io.tributary.server.network;

import io.netty.util.AttributeKey;

/**
 * Why a client connection ended, as the broker's metrics count it ({@code tributary_connections_closed_total},
 * tag {@code reason}). Every reason but {@link #CLIENT} is the broker refusing what the client sent.
 */
public enum CloseReason {
    /** The client closed it, or the broker stopped. */
    CLIENT("client"),
    /** A frame size outside [0, socket.request.max.bytes]. */
    FRAME_SIZE("frame_size"),
    /** A request header that does not decode. */
    MALFORMED_HEADER("malformed_header"),
    /** An API or version the broker does not serve (other than ApiVersions, which is answered). */
    UNSUPPORTED_API("unsupported_api"),
    /** A request body that does not decode. */
    MALFORMED_REQUEST("malformed_request"),
    /** A handler failed the request (an acks=0 produce with a partition error, or a broker fault). */
    REQUEST_FAILED("request_failed"),
    /** The response could not be encoded. */
    RESPONSE_FAILED("response_failed"),
    /**
     * TLS refused the connection: a failed handshake (a plaintext client on a TLS port, an untrusted or missing client
     * certificate, no common protocol or cipher suite, garbage) or a record that does not decrypt.
     */
    TLS("tls"),
    /**
     * SASL authentication failed (wrong password, unknown user, mechanism not enabled, out-of-order SASL requests), or
     * a request other than ApiVersions came before it.
     */
    AUTHENTICATION("authentication"),
    /** Over max.connections or the address's max.connections.per.ip on its listener. */
    CONNECTION_LIMIT("connection_limit"),
    /** The SASL session lifetime (connections.max.reauth.ms, a token's expiry) ended without re-authentication. */
    SESSION_EXPIRED("session_expired"),
    /** The socket failed (reset, broken pipe). */
    IO_ERROR("io_error");

    /** Set on the channel by whoever closes it for a reason of its own; absent means {@link #CLIENT}. */
    static final AttributeKey<CloseReason> ATTRIBUTE = AttributeKey.valueOf("tributary.closeReason");

    /** The metric tag. */
    public final String tag;

    CloseReason(String tag) {
        this.tag = tag;
    }
}
