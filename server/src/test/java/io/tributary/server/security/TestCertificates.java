package io.tributary.server.security;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made during a test run (nothing secret is checked in): a certificate authority, and certificates it
 * signs for the broker (subject alternative names 127.0.0.1 and localhost, so clients' host name checks pass) and for
 * clients. EC P-256 keys, valid from an hour ago for a day. Stores are written as PKCS12 files (password
 * {@link #PASSWORD}) or PEM text.
 */
public final class TestCertificates {
    public static final String PASSWORD = "test-store-password";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair with its certificate chain, leaf first. */
    public record Identity(KeyPair keys, X509Certificate[] chain) {
        public X509Certificate certificate() {
            return chain[0];
        }

        /** A PKCS12 key store holding this identity, under {@code dir}. */
        public Path writeKeyStore(Path dir, String name) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", keys.getPrivate(), PASSWORD.toCharArray(), chain);
                return write(store, dir.resolve(name + ".p12"));
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The chain in PEM. */
        public String certificateChainPem() {
            StringBuilder pem = new StringBuilder();
            for (X509Certificate certificate : chain) {
                pem.append(pem(certificate));
            }
            return pem.toString();
        }

        /** The private key in PEM, unencrypted PKCS#8. */
        public String privateKeyPem() {
            return block("PRIVATE KEY", keys.getPrivate().getEncoded());
        }
    }

    private TestCertificates() {
    }

    /** A self-signed certificate authority named {@code CN=<name>}. */
    public static Identity authority(String name) {
        KeyPair keys = keyPair();
        X500Principal subject = new X500Principal("CN=" + name);
        return new Identity(keys, new X509Certificate[] {sign(subject, keys, subject, keys, true, false)});
    }

    /** A certificate for the broker, usable at 127.0.0.1 and localhost. */
    public static Identity server(Identity authority) {
        return leaf(authority, "CN=localhost,OU=Brokers,O=Tributary Tests", true);
    }

    /** A client certificate with distinguished name {@code dn}, such as {@code CN=alice,OU=Clients,O=Tributary Tests}. */
    public static Identity client(Identity authority, String dn) {
        return leaf(authority, dn, false);
    }

    private static Identity leaf(Identity authority, String dn, boolean server) {
        KeyPair keys = keyPair();
        X509Certificate certificate = sign(authority.certificate().getSubjectX500Principal(), authority.keys(),
            new X500Principal(dn), keys, false, server);
        return new Identity(keys, new X509Certificate[] {certificate, authority.certificate()});
    }

    /** A PKCS12 trust store holding {@code authorities}. */
    public static Path writeTrustStore(Path dir, String name, Identity... authorities) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < authorities.length; i++) {
                store.setCertificateEntry("ca-" + i, authorities[i].certificate());
            }
            return write(store, dir.resolve(name + ".p12"));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String block(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }

    private static Path write(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Principal issuer, KeyPair issuerKeys, X500Principal subject, KeyPair subjectKeys,
                                        boolean authority, boolean server) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (server) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot make a test certificate for " + subject, e);
        }
    }

    /** Writes {@code text} to {@code dir/name}. */
    public static Path writeText(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
