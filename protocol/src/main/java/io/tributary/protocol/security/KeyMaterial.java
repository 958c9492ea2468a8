package io.tributary.protocol.security;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key and trust material in the forms Kafka's {@code ssl.keystore.*} / {@code ssl.truststore.*} keys name, for the
 * broker's listeners and for the clients alike: a JKS or PKCS12 store file, and PEM text (X.509 {@code CERTIFICATE}
 * blocks; a PKCS#8 {@code PRIVATE KEY} or password-encrypted {@code ENCRYPTED PRIVATE KEY} block).
 */
public final class KeyMaterial {
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private KeyMaterial() {
    }

    /** A JKS or PKCS12 store file; an empty password opens it without one. */
    public static KeyStore load(String type, String location, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password.isEmpty() ? null : password.toCharArray());
        }
        return store;
    }

    /** Every {@code CERTIFICATE} block of {@code pem}, in order. */
    public static List<Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> certificates = new ArrayList<>();
        Matcher block = PEM_BLOCK.matcher(pem);
        while (block.find()) {
            if (block.group(1).equals("CERTIFICATE")) {
                certificates.add(factory.generateCertificate(new ByteArrayInputStream(der(block.group(2)))));
            }
        }
        return certificates;
    }

    /** The first PKCS#8 private key of {@code pem}, plain ({@code PRIVATE KEY}) or encrypted ({@code ENCRYPTED PRIVATE KEY}). */
    public static PrivateKey privateKey(String pem, char[] password) throws GeneralSecurityException, IOException {
        Matcher block = PEM_BLOCK.matcher(pem);
        while (block.find()) {
            PKCS8EncodedKeySpec spec;
            switch (block.group(1)) {
                case "PRIVATE KEY" -> spec = new PKCS8EncodedKeySpec(der(block.group(2)));
                case "ENCRYPTED PRIVATE KEY" -> {
                    EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der(block.group(2)));
                    SecretKeyFactory factory = SecretKeyFactory.getInstance(info.getAlgName());
                    Cipher cipher = Cipher.getInstance(info.getAlgName());
                    cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
                    spec = info.getKeySpec(cipher);
                }
                default -> {
                    continue;
                }
            }
            for (String algorithm : List.of("RSA", "EC", "Ed25519", "DSA")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                } catch (InvalidKeySpecException notThisAlgorithm) {
                    // try the next
                }
            }
            throw new GeneralSecurityException("the PEM private key is not RSA, EC, Ed25519 or DSA");
        }
        throw new GeneralSecurityException("no PKCS#8 PRIVATE KEY in the PEM key store (a PEM key must be PKCS#8)");
    }

    private static byte[] der(String base64) {
        return Base64.getMimeDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII));
    }
}
