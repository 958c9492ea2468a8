package io.tributary.clients.security.sasl;

import java.nio.charset.StandardCharsets;

/** SASL PLAIN (RFC 4616): one message, {@code [authzid] NUL user NUL password}, no authorization identity. */
public final class PlainClient implements SaslMechanismClient {
    private final String user;
    private final String password;
    private boolean complete;

    public PlainClient(String user, String password) {
        this.user = user;
        this.password = password;
    }

    @Override
    public String mechanism() {
        return "PLAIN";
    }

    @Override
    public byte[] initialResponse() {
        return ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluate(byte[] challenge) {
        complete = true; // the broker's empty answer to the one message
        return null;
    }

    @Override
    public boolean isComplete() {
        return complete;
    }
}
