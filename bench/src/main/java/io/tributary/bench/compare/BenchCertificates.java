package io.tributary.bench.compare;

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
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

/**
 * The TLS material of one {@code tls-compare} run, made at run time in a directory of the run (never checked in): a
 * certificate authority, and a broker certificate it signs for 127.0.0.1 and localhost (so the clients' https host
 * name check passes), valid from an hour ago for a day. Written as PKCS12 files, both readable by Kafka and Tributary:
 * {@code broker.p12} (the broker's key and chain) and {@code truststore.p12} (the authority, for the clients), under
 * one random password.
 *
 * @param keyAlgorithm "RSA" (2048-bit) or "EC" (P-256), for both keys
 */
record BenchCertificates(Path keyStore, Path trustStore, String password, String keyAlgorithm) {

    static BenchCertificates create(Path dir, String keyAlgorithm) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        KeyPair authorityKeys = keyPair(keyAlgorithm);
        X500Principal authority = new X500Principal("CN=tributary-bench CA");
        X509Certificate authorityCertificate = sign(authority, authorityKeys, authority, authorityKeys, true, keyAlgorithm);
        KeyPair brokerKeys = keyPair(keyAlgorithm);
        X509Certificate brokerCertificate = sign(authority, authorityKeys, new X500Principal("CN=localhost,O=tributary-bench"),
            brokerKeys, false, keyAlgorithm);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("broker", brokerKeys.getPrivate(), password.toCharArray(),
            new X509Certificate[] {brokerCertificate, authorityCertificate});
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", authorityCertificate);
        return new BenchCertificates(write(keys, dir.resolve("broker.p12"), password), write(trust, dir.resolve("truststore.p12"), password),
            password, keyAlgorithm);
    }

    private static Path write(KeyStore store, Path file, String password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    private static KeyPair keyPair(String algorithm) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        switch (algorithm) {
            case "RSA" -> generator.initialize(2048);
            case "EC" -> generator.initialize(new ECGenParameterSpec("secp256r1"));
            default -> throw new IllegalArgumentException("key algorithm " + algorithm + " is not RSA or EC");
        }
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X500Principal issuer, KeyPair issuerKeys, X500Principal subject, KeyPair subjectKeys,
                                        boolean authority, String algorithm) throws GeneralSecurityException {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli())
                .add(BigInteger.valueOf(authority ? 0 : 1)), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (!authority) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            }
            String signature = algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(signature)
                .build(issuerKeys.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException("cannot make the certificate of " + subject, e);
        }
    }
}
