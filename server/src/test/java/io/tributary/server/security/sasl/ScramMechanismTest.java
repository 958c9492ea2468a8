package io.tributary.server.security.sasl;

import org.junit.jupiter.api.Test;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The SCRAM key derivations against RFC 7677's SCRAM-SHA-256 example and the JDK's PBKDF2. */
class ScramMechanismTest {
    @Test
    void rfc7677Example() {
        ScramMechanism sha256 = ScramMechanism.SCRAM_SHA_256;
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        byte[] salted = sha256.saltedPassword("pencil".getBytes(StandardCharsets.UTF_8), salt, 4096);
        ScramCredential credential = sha256.credential(salt, salted, 4096);
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,"
            + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
            + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        byte[] clientKey = sha256.hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] clientSignature = sha256.hmac(credential.storedKey(), authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        assertThat(Base64.getEncoder().encodeToString(proof)).isEqualTo("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(Base64.getEncoder().encodeToString(sha256.hmac(credential.serverKey(), authMessage.getBytes(StandardCharsets.UTF_8))))
            .isEqualTo("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void saltedPasswordIsPbkdf2() throws Exception {
        byte[] salt = "some salt".getBytes(StandardCharsets.US_ASCII);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            String algorithm = mechanism == ScramMechanism.SCRAM_SHA_256 ? "PBKDF2WithHmacSHA256" : "PBKDF2WithHmacSHA512";
            int bits = mechanism == ScramMechanism.SCRAM_SHA_256 ? 256 : 512;
            byte[] jdk = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec("secret".toCharArray(), salt, 4096, bits))
                .getEncoded();
            assertThat(mechanism.saltedPassword("secret".getBytes(StandardCharsets.UTF_8), salt, 4096)).isEqualTo(jdk);
        }
    }
}
