package io.tributary.server.security.sasl;

/**
 * What the broker stores of a SCRAM user (RFC 5802 section 3): the salt, StoredKey, ServerKey and the iteration count.
 * The password cannot be recovered from it; a client proves it knows the password by a ClientProof whose hash is StoredKey.
 */
public record ScramCredential(byte[] salt, byte[] storedKey, byte[] serverKey, int iterations) {
}
