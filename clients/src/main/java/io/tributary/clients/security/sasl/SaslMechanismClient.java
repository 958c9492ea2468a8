package io.tributary.clients.security.sasl;

import javax.security.sasl.SaslException;

/**
 * The client side of one SASL exchange (one authentication of one connection), as the network layer drives it over
 * SaslAuthenticate (KIP-152): {@link #initialResponse()} is the first token sent; each server token goes to
 * {@link #evaluate}, whose answer is sent next, until {@link #isComplete()}. Not thread-safe: the I/O thread owns it.
 */
public interface SaslMechanismClient {
    String mechanism();

    byte[] initialResponse() throws SaslException;

    /**
     * The token to send after the server's {@code challenge}, or null when the exchange is complete and nothing more is
     * sent.
     *
     * @throws SaslException when the server's token is malformed or fails its check (a SCRAM server signature)
     */
    byte[] evaluate(byte[] challenge) throws SaslException;

    boolean isComplete();
}
