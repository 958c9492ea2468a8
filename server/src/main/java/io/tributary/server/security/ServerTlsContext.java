package io.tributary.server.security;

import io.tributary.protocol.security.KeyMaterial;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.List;

/**
 * Builds the Netty {@link SslContext} of a TLS listener from its {@link SslSettings}: key and trust stores read
 * once, at start (JKS and PKCS12 files through {@link KeyStore}; PEM files or inline PEM parsed here into an
 * in-memory PKCS12 store), the engine chosen by {@code ssl.engine}. A store that cannot be read stops the start
 * with {@link TlsConfigException} naming the listener and the file.
 */
public final class ServerTlsContext {
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

    /**
     * The certificate chain this listener presents, leaf first: the first key entry of its key store. For a client in
     * the broker's own process (the web console) that trusts exactly this listener.
     *
     * @throws TlsConfigException when the key store cannot be read or holds no key entry
     */
    public static List<Certificate> ownCertificateChain(String listener, SslSettings settings) {
        try {
            KeyStore store = keyStore(settings);
            for (String alias : java.util.Collections.list(store.aliases())) {
                Certificate[] chain = store.isKeyEntry(alias) ? store.getCertificateChain(alias) : null;
                if (chain != null && chain.length > 0) {
                    return List.of(chain);
                }
            }
            throw new GeneralSecurityException("no key entry with a certificate chain in the key store");
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TlsConfigException(listener, "cannot read the key store's certificates (" + settings + "): " + e.getMessage(), e);
        }
    }

    /**
     * The certificates of this listener's configured trust store ({@code ssl.truststore.*}), empty when none is
     * configured (the JDK's default CAs).
     *
     * @throws TlsConfigException when the trust store cannot be read
     */
    public static List<Certificate> trustedCertificates(String listener, SslSettings settings) {
        try {
            KeyStore store = trustStore(settings);
            if (store == null) {
                return List.of();
            }
            List<Certificate> certificates = new java.util.ArrayList<>();
            for (String alias : java.util.Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate != null) {
                    certificates.add(certificate);
                }
            }
            return List.copyOf(certificates);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TlsConfigException(listener, "cannot read the trust store (" + settings + "): " + e.getMessage(), e);
        }
    }

    private static KeyStore keyStore(SslSettings settings) throws IOException, GeneralSecurityException {
        if (!settings.keystoreType().equals("PEM")) {
            return KeyMaterial.load(settings.keystoreType(), settings.keystoreLocation(), settings.keystorePassword());
        }
        String chain = settings.keystoreCertificateChain();
        String key = settings.keystoreKey();
        if (!settings.keystoreLocation().isEmpty()) {
            String file = Files.readString(Path.of(settings.keystoreLocation()), StandardCharsets.US_ASCII);
            chain = file;
            key = file;
        }
        List<Certificate> certificates = KeyMaterial.certificates(chain);
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE in the PEM key store");
        }
        PrivateKey privateKey = KeyMaterial.privateKey(key, settings.keyPassword().toCharArray());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", privateKey, NO_PASSWORD, certificates.toArray(new Certificate[0]));
        return store;
    }

    /** The trust store, or null for the JDK's default CAs. */
    private static KeyStore trustStore(SslSettings settings) throws IOException, GeneralSecurityException {
        if (!settings.truststoreType().equals("PEM")) {
            return settings.truststoreLocation().isEmpty() ? null
                : KeyMaterial.load(settings.truststoreType(), settings.truststoreLocation(), settings.truststorePassword());
        }
        String pem = !settings.truststoreLocation().isEmpty()
            ? Files.readString(Path.of(settings.truststoreLocation()), StandardCharsets.US_ASCII) : settings.truststoreCertificates();
        if (pem.isEmpty()) {
            return null;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : KeyMaterial.certificates(pem)) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }
}
