package io.tributary.server.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
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
 * Builds the Netty {@link SslContext} of a TLS listener from its {@link SslSettings}: key and trust stores read
 * once, at start (JKS and PKCS12 files through {@link KeyStore}; PEM files or inline PEM parsed here into an
 * in-memory PKCS12 store), the engine chosen by {@code ssl.engine}. A store that cannot be read stops the start
 * with {@link TlsConfigException} naming the listener and the file.
 */
public final class ServerTlsContext {
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final char[] NO_PASSWORD = new char[0];

    private ServerTlsContext() {
    }

    /** A TLS setting that cannot be used; stops the broker's start. */
    public static final class TlsConfigException extends IllegalStateException {
        public final String listener;

        TlsConfigException(String listener, String message, Throwable cause) {
            super("Listener " + listener + ": " + message, cause);
            this.listener = listener;
        }
    }

    /** The engine {@code ssl.engine} selects on this machine. */
    public static SslProvider provider(SslSettings.Engine engine) {
        return switch (engine) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> SslProvider.OPENSSL;
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }

    /** @throws TlsConfigException when a store cannot be read or the engine is not available */
    public static SslContext build(String listener, SslSettings settings) {
        SslProvider provider = provider(settings.engine());
        if (provider == SslProvider.OPENSSL && !OpenSsl.isAvailable()) {
            throw new TlsConfigException(listener, "ssl.engine=openssl but netty-tcnative does not load here",
                OpenSsl.unavailabilityCause());
        }
        try {
            KeyStore keyStore = keyStore(settings);
            char[] keyPassword = !settings.keyPassword().isEmpty() ? settings.keyPassword().toCharArray()
                : settings.keystoreType().equals("PEM") ? NO_PASSWORD : settings.keystorePassword().toCharArray();
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, keyPassword);
            SslContextBuilder builder = SslContextBuilder.forServer(keys)
                .sslProvider(provider)
                .protocols(settings.enabledProtocols())
                .clientAuth(switch (settings.clientAuth()) {
                    case NONE -> ClientAuth.NONE;
                    case REQUESTED -> ClientAuth.OPTIONAL;
                    case REQUIRED -> ClientAuth.REQUIRE;
                });
            KeyStore trustStore = trustStore(settings);
            if (trustStore != null) {
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustStore);
                builder.trustManager(trust);
            }
            if (!settings.cipherSuites().isEmpty()) {
                builder.ciphers(settings.cipherSuites());
            }
            return builder.build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TlsConfigException(listener, "cannot set up TLS (" + settings + "): " + e.getMessage(), e);
        }
    }

    private static KeyStore keyStore(SslSettings settings) throws IOException, GeneralSecurityException {
        if (!settings.keystoreType().equals("PEM")) {
            return load(settings.keystoreType(), settings.keystoreLocation(), settings.keystorePassword());
        }
        String chain = settings.keystoreCertificateChain();
        String key = settings.keystoreKey();
        if (!settings.keystoreLocation().isEmpty()) {
            String file = Files.readString(Path.of(settings.keystoreLocation()), StandardCharsets.US_ASCII);
            chain = file;
            key = file;
        }
        List<Certificate> certificates = certificates(chain);
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE in the PEM key store");
        }
        PrivateKey privateKey = privateKey(key, settings.keyPassword().toCharArray());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", privateKey, NO_PASSWORD, certificates.toArray(new Certificate[0]));
        return store;
    }

    /** The trust store, or null for the JDK's default CAs. */
    private static KeyStore trustStore(SslSettings settings) throws IOException, GeneralSecurityException {
        if (!settings.truststoreType().equals("PEM")) {
            return settings.truststoreLocation().isEmpty() ? null
                : load(settings.truststoreType(), settings.truststoreLocation(), settings.truststorePassword());
        }
        String pem = !settings.truststoreLocation().isEmpty()
            ? Files.readString(Path.of(settings.truststoreLocation()), StandardCharsets.US_ASCII) : settings.truststoreCertificates();
        if (pem.isEmpty()) {
            return null;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates(pem)) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }

    private static KeyStore load(String type, String location, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password.isEmpty() ? null : password.toCharArray());
        }
        return store;
    }

    static List<Certificate> certificates(String pem) throws GeneralSecurityException {
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

    /** A PKCS#8 private key, plain ({@code PRIVATE KEY}) or password-encrypted ({@code ENCRYPTED PRIVATE KEY}). */
    static PrivateKey privateKey(String pem, char[] password) throws GeneralSecurityException, IOException {
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
