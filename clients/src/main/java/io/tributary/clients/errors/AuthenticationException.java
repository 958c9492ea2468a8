package io.tributary.clients.errors;

import io.tributary.protocol.ErrorCode;

/**
 * The client could not authenticate to a broker: the TLS handshake failed (an untrusted certificate, a host name the
 * certificate does not name), the broker does not enable the SASL mechanism (UNSUPPORTED_SASL_MECHANISM), or it refused
 * the credentials (SASL_AUTHENTICATION_FAILED). The message names the mechanism, the broker and the broker's own words.
 * Not retriable: the same credentials will be refused again, so callers fail at once instead of retrying until a
 * timeout hides the reason.
 */
public class AuthenticationException extends TributaryException implements BrokerError {
    private final ErrorCode errorCode;
    private final String mechanism;

    public AuthenticationException(ErrorCode errorCode, String mechanism, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.mechanism = mechanism;
    }

    /** SASL_AUTHENTICATION_FAILED, UNSUPPORTED_SASL_MECHANISM or ILLEGAL_SASL_STATE; NONE for a TLS failure. */
    @Override
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The SASL mechanism (PLAIN, SCRAM-SHA-256, ...) or "TLS". */
    public String mechanism() {
        return mechanism;
    }
}
