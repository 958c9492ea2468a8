package io.tributary.server.security.sasl;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * The two SCRAM mechanisms Kafka defines (RFC 5802 with RFC 7677's SHA-256; SHA-512 likewise), with Kafka's wire
 * type numbers (AlterUserScramCredentials) and iteration bounds, and the RFC's key derivations:
 * ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey), ServerKey = HMAC(SaltedPassword, "Server Key").
 */
public enum ScramMechanism {
    SCRAM_SHA_256("SCRAM-SHA-256", (byte) 1, "SHA-256", "HmacSHA256"),
    SCRAM_SHA_512("SCRAM-SHA-512", (byte) 2, "SHA-512", "HmacSHA512");

    /** Kafka's bounds on a credential's iteration count. */
    public static final int MIN_ITERATIONS = 4096;
    public static final int MAX_ITERATIONS = 16384;

    public final String mechanismName;
    public final byte type;
    private final String hash;
    private final String hmac;

    ScramMechanism(String mechanismName, byte type, String hash, String hmac) {
        this.mechanismName = mechanismName;
        this.type = type;
        this.hash = hash;
        this.hmac = hmac;
    }

    /** The mechanism of a SASL name ("SCRAM-SHA-256"), or null. */
    public static ScramMechanism named(String name) {
        for (ScramMechanism mechanism : values()) {
            if (mechanism.mechanismName.equals(name)) {
                return mechanism;
            }
        }
        return null;
    }

    /** The mechanism of a wire type, or null. */
    public static ScramMechanism ofType(byte type) {
        for (ScramMechanism mechanism : values()) {
            if (mechanism.type == type) {
                return mechanism;
            }
        }
        return null;
    }

    public byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, hmac));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " is not available", e);
        }
    }

    public byte[] hash(byte[] message) {
        try {
            return MessageDigest.getInstance(hash).digest(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hash + " is not available", e);
        }
    }

    /** RFC 5802 Hi(password, salt, i): PBKDF2 with this mechanism's HMAC, one block. */
    public byte[] saltedPassword(byte[] password, byte[] salt, int iterations) {
        byte[] block = new byte[salt.length + 4];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[block.length - 1] = 1;
        byte[] u = hmac(password, block);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = hmac(password, u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    /** The credential the broker keeps for a salted password: never the password or the salted password itself. */
    public ScramCredential credential(byte[] salt, byte[] saltedPassword, int iterations) {
        byte[] clientKey = hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredential(salt.clone(), hash(clientKey), serverKey, iterations);
    }
}
