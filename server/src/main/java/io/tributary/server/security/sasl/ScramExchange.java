package io.tributary.server.security.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The server side of SCRAM (RFC 5802; SHA-256 per RFC 7677, SHA-512 likewise), as Kafka's clients speak it:
 * <pre>
 * client-first: n,[a=authzid],n=user,r=cnonce[,extensions]
 * server-first: r=cnonce+snonce,s=base64(salt),i=iterations
 * client-final: c=base64(gs2-header),r=cnonce+snonce,p=base64(ClientProof)
 * server-final: v=base64(ServerSignature)
 * </pre>
 * The proof is checked against the stored credential: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage) must
 * hash to StoredKey. Channel binding is refused (Kafka does not use it), as is Kafka's delegation-token extension
 * (no delegation tokens here). An unknown user is refused with the same words as a wrong password.
 */
public final class ScramExchange implements SaslExchange {
    static final String INVALID = "Authentication failed during authentication due to invalid credentials with SASL mechanism ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { FIRST, FINAL, DONE }

    private final ScramMechanism mechanism;
    private final CredentialStore credentials;
    private State state = State.FIRST;
    private String user;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramCredential credential;

    public ScramExchange(ScramMechanism mechanism, CredentialStore credentials) {
        this.mechanism = mechanism;
        this.credentials = credentials;
    }

    @Override
    public Step evaluate(byte[] token) {
        String message = new String(token, StandardCharsets.UTF_8);
        try {
            return switch (state) {
                case FIRST -> first(message);
                case FINAL -> last(message);
                case DONE -> refuse("Authentication failed: unexpected SCRAM message after the exchange");
            };
        } catch (IllegalArgumentException malformed) {
            return refuse("Authentication failed: invalid SCRAM message: " + malformed.getMessage());
        }
    }

    private Step refuse(String why) {
        state = State.DONE;
        return Step.refused(why);
    }

    private Step first(String message) {
        // gs2-header: "n," or "y," (no binding), then "a=authzid" or empty, then ","
        if (!message.startsWith("n,") && !message.startsWith("y,")) {
            return refuse("Authentication failed: channel binding is not supported");
        }
        int headerEnd = message.indexOf(',', 2);
        if (headerEnd < 0) {
            throw new IllegalArgumentException("no gs2 header");
        }
        gs2Header = message.substring(0, headerEnd + 1);
        String authorizationId = message.substring(2, headerEnd);
        clientFirstBare = message.substring(headerEnd + 1);
        Map<String, String> attributes = attributes(clientFirstBare);
        String name = attributes.get("n");
        String clientNonce = attributes.get("r");
        if (name == null || clientNonce == null || clientNonce.isEmpty()) {
            throw new IllegalArgumentException("n= and r= are required");
        }
        user = name.replace("=2C", ",").replace("=3D", "=");
        if (!authorizationId.isEmpty() && !authorizationId.equals("a=" + name)) {
            return refuse("Authentication failed: Authorization id " + authorizationId.substring(2) + " is not the user");
        }
        if ("true".equals(attributes.get("tokenauth"))) {
            return refuse("Authentication failed: delegation tokens are not supported");
        }
        credential = credentials.credential(user, mechanism);
        if (credential == null) {
            return refuse(INVALID + mechanism.mechanismName);
        }
        byte[] serverNonce = new byte[24];
        RANDOM.nextBytes(serverNonce);
        nonce = clientNonce + Base64.getEncoder().withoutPadding().encodeToString(serverNonce).replace('/', '-').replace('+', '_');
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt()) + ",i=" + credential.iterations();
        state = State.FINAL;
        return Step.challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private Step last(String message) {
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new IllegalArgumentException("p= is required");
        }
        String withoutProof = message.substring(0, proofAt);
        Map<String, String> attributes = attributes(withoutProof);
        String binding = attributes.get("c");
        if (binding == null || !binding.equals(Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8)))) {
            return refuse("Authentication failed: invalid channel binding");
        }
        if (!nonce.equals(attributes.get("r"))) {
            return refuse("Authentication failed: invalid nonce");
        }
        byte[] proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = mechanism.hmac(credential.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            return refuse(INVALID + mechanism.mechanismName);
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(mechanism.hash(clientKey), credential.storedKey())) {
            return refuse(INVALID + mechanism.mechanismName);
        }
        byte[] serverSignature = mechanism.hmac(credential.serverKey(), authMessage);
        state = State.DONE;
        return Step.done(("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8), user);
    }

    /** {@code k=v,k=v} attributes; a value may contain '=' but not ','. */
    private static Map<String, String> attributes(String text) {
        Map<String, String> attributes = new HashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("attribute without '='");
            }
            attributes.putIfAbsent(part.substring(0, eq), part.substring(eq + 1));
        }
        return attributes;
    }
}
