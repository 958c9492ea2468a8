package io.tributary.server.security.sasl;

/**
 * The server side of one SASL authentication, fed the client's tokens in order. Each step answers with a token to
 * send back, and says whether the client is now authenticated (and as whom) or refused (and why, in words fit for
 * the client: never whether the user exists).
 */
public interface SaslExchange {
    /** The outcome of one client token. */
    record Step(byte[] response, String authenticatedUser, String failure) {
        static Step challenge(byte[] response) {
            return new Step(response, null, null);
        }

        static Step done(byte[] response, String user) {
            return new Step(response, user, null);
        }

        static Step refused(String why) {
            return new Step(new byte[0], null, why);
        }

        public boolean isComplete() {
            return authenticatedUser != null;
        }

        public boolean isRefused() {
            return failure != null;
        }
    }

    Step evaluate(byte[] token);

    /** When the credential just authenticated stops being valid (epoch ms; a token's expiry), or Long.MAX_VALUE. */
    default long credentialExpiryMs() {
        return Long.MAX_VALUE;
    }
}
