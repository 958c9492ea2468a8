package io.tributary.clients.security.sasl;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.sasl.SaslException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The client of SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802, RFC 7677) as Kafka speaks it, without channel binding:
 * <pre>
 * client-first  n,,n=USER,r=CNONCE
 * server-first  r=CNONCE+SNONCE,s=SALT,i=ITERATIONS
 * client-final  c=biws,r=CNONCE+SNONCE,p=base64(ClientKey XOR HMAC(StoredKey, AuthMessage))
 * server-final  v=base64(HMAC(ServerKey, AuthMessage))   or   e=ERROR
 * </pre>
 * with SaltedPassword = Hi(password, salt, i) (PBKDF2 with the mechanism's HMAC), ClientKey = HMAC(SaltedPassword,
 * "Client Key"), StoredKey = H(ClientKey), ServerKey = HMAC(SaltedPassword, "Server Key") and AuthMessage =
 * client-first-bare "," server-first "," client-final-without-proof. The server's signature is checked, so a server
 * that does not know the password cannot pass for one that does.
 */
public final class ScramClient implements SaslMechanismClient {
    /** The two hash functions Kafka supports. */
    public enum Algorithm {
        SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256"),
        SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512");

        final String mechanism;
        final String hash;
        final String hmac;

        Algorithm(String mechanism, String hash, String hmac) {
            this.mechanism = mechanism;
            this.hash = hash;
            this.hmac = hmac;
        }
    }

    /** Kafka's minimum: fewer iterations than this is a server trying to weaken the password hash. */
    static final int MIN_ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { INITIAL, SENT_FIRST, SENT_FINAL, COMPLETE }

    private final Algorithm algorithm;
    private final String user;
    private final String password;
    private final String clientNonce;
    private State state = State.INITIAL;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    public ScramClient(Algorithm algorithm, String user, String password) {
        this(algorithm, user, password, newNonce());
    }

    /** With a chosen nonce, for tests against RFC 7677's example exchange. */
    ScramClient(Algorithm algorithm, String user, String password, String clientNonce) {
        this.algorithm = algorithm;
        this.user = user;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    private static String newNonce() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().withoutPadding().encodeToString(bytes).replace('+', '-').replace('/', '_');
    }

    @Override
    public String mechanism() {
        return algorithm.mechanism;
    }

    @Override
    public byte[] initialResponse() {
        clientFirstBare = "n=" + saslName(user) + ",r=" + clientNonce;
        state = State.SENT_FIRST;
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluate(byte[] challenge) throws SaslException {
        String message = new String(challenge, StandardCharsets.UTF_8);
        Map<String, String> fields = fields(message);
        switch (state) {
            case SENT_FIRST -> {
                if (fields.containsKey("e")) {
                    throw new SaslException("the server refused: " + fields.get("e"));
                }
                String nonce = fields.get("r");
                String salt = fields.get("s");
                String iterationsText = fields.get("i");
                if (nonce == null || salt == null || iterationsText == null) {
                    throw new SaslException("malformed server-first message (r, s and i are required)");
                }
                if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
                    throw new SaslException("the server's nonce does not extend the client's");
                }
                int iterations;
                try {
                    iterations = Integer.parseInt(iterationsText);
                } catch (NumberFormatException e) {
                    throw new SaslException("malformed iteration count in the server-first message");
                }
                if (iterations < MIN_ITERATIONS) {
                    throw new SaslException("the server asks for " + iterations + " iterations, fewer than the minimum " + MIN_ITERATIONS);
                }
                byte[] saltBytes;
                try {
                    saltBytes = Base64.getDecoder().decode(salt);
                } catch (IllegalArgumentException e) {
                    throw new SaslException("malformed salt in the server-first message");
                }
                String clientFinalWithoutProof = "c=biws,r=" + nonce;
                String authMessage = clientFirstBare + "," + message + "," + clientFinalWithoutProof;
                try {
                    byte[] salted = hi(password.getBytes(StandardCharsets.UTF_8), saltBytes, iterations);
                    byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
                    byte[] storedKey = MessageDigest.getInstance(algorithm.hash).digest(clientKey);
                    byte[] clientSignature = hmac(storedKey, authMessage.getBytes(StandardCharsets.UTF_8));
                    byte[] proof = new byte[clientKey.length];
                    for (int i = 0; i < proof.length; i++) {
                        proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
                    }
                    byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
                    expectedServerSignature = hmac(serverKey, authMessage.getBytes(StandardCharsets.UTF_8));
                    state = State.SENT_FINAL;
                    return (clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
                } catch (GeneralSecurityException e) {
                    throw new SaslException("cannot compute the SCRAM proof: " + e.getMessage(), e);
                }
            }
            case SENT_FINAL -> {
                if (fields.containsKey("e")) {
                    throw new SaslException("the server refused: " + fields.get("e"));
                }
                String verifier = fields.get("v");
                byte[] signature;
                try {
                    signature = verifier == null ? null : Base64.getDecoder().decode(verifier);
                } catch (IllegalArgumentException e) {
                    signature = null;
                }
                if (signature == null || !MessageDigest.isEqual(signature, expectedServerSignature)) {
                    throw new SaslException("the server's signature is wrong: the server does not know the credential");
                }
                state = State.COMPLETE;
                return null;
            }
            default -> throw new SaslException("unexpected server message in state " + state);
        }
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    /** RFC 5802 saslname: '=' and ',' escaped. */
    static String saslName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    private static Map<String, String> fields(String message) {
        Map<String, String> fields = new HashMap<>();
        for (String part : message.split(",")) {
            int eq = part.indexOf('=');
            if (eq == 1) {
                fields.putIfAbsent(part.substring(0, 1), part.substring(2));
            }
        }
        return fields;
    }

    private byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm.hmac);
        mac.init(new SecretKeySpec(key, algorithm.hmac));
        return mac.doFinal(data);
    }

    /** Hi(str, salt, i) of RFC 5802: PBKDF2 with one block the size of the HMAC. */
    private byte[] hi(byte[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm.hmac);
        mac.init(new SecretKeySpec(password, algorithm.hmac));
        mac.update(salt);
        byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }
}
