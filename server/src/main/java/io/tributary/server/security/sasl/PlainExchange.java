package io.tributary.server.security.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * SASL PLAIN (RFC 4616) against users from the configuration: one token {@code authzid NUL authcid NUL passwd}. As in
 * Kafka, an authorization id must be empty or the user's own name. Passwords are compared in constant time.
 */
public final class PlainExchange implements SaslExchange {
    static final String INVALID = "Authentication failed: Invalid username or password";

    private final Map<String, String> passwords;
    private boolean done;

    public PlainExchange(Map<String, String> passwords) {
        this.passwords = passwords;
    }

    @Override
    public Step evaluate(byte[] token) {
        if (done) {
            return Step.refused("Authentication failed: PLAIN takes one token");
        }
        done = true;
        String message = new String(token, StandardCharsets.UTF_8);
        int first = message.indexOf('\0');
        int second = first < 0 ? -1 : message.indexOf('\0', first + 1);
        if (first < 0 || second < 0 || message.indexOf('\0', second + 1) >= 0) {
            return Step.refused("Authentication failed: Invalid SASL/PLAIN response: expected 3 tokens");
        }
        String authorizationId = message.substring(0, first);
        String user = message.substring(first + 1, second);
        String password = message.substring(second + 1);
        if (user.isEmpty()) {
            return Step.refused("Authentication failed: username not specified");
        }
        if (!authorizationId.isEmpty() && !authorizationId.equals(user)) {
            return Step.refused("Authentication failed: Client requested an authorization id that is different from username");
        }
        String expected = passwords.get(user);
        // compare even for an unknown user, so the time taken does not tell whether the user exists
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        boolean matches = MessageDigest.isEqual(given, (expected != null ? expected : "\0unknown").getBytes(StandardCharsets.UTF_8));
        return expected != null && matches ? Step.done(new byte[0], user) : Step.refused(INVALID);
    }
}
