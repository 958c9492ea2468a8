package io.tributary.clients.security;

import io.tributary.protocol.security.KeyMaterial;
import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.ConfigException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
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
 * The client side of TLS: one {@link SSLContext} built from Kafka's {@code ssl.*} keys (JKS and PKCS12 stores
 * through {@link KeyStore}; PEM files or inline PEM parsed here, keys in PKCS#8, plain or encrypted), and a client
 * {@link SSLEngine} per connection that checks the broker's certificate against the host connected to when
 * {@code ssl.endpoint.identification.algorithm=https} (Kafka's default).
 */
public final class TlsSettings {
    private static final char[] NO_PASSWORD = new char[0];

    private final SSLContext context;
    private final String endpointIdentification;
    private final List<String> protocols;
    private final List<String> cipherSuites;

    private TlsSettings(SSLContext context, String endpointIdentification, List<String> protocols, List<String> cipherSuites) {
        this.context = context;
        this.endpointIdentification = endpointIdentification;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    /** @throws ConfigException naming the store's key when a store cannot be read */
    static TlsSettings of(ClientConfig config) {
        KeyStore trust;
        try {
            trust = trustStore(config);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException(ClientSecurity.SSL_TRUSTSTORE_LOCATION.name(), "Cannot read the trust store ("
                + config.get(ClientSecurity.SSL_TRUSTSTORE_TYPE) + " " + config.get(ClientSecurity.SSL_TRUSTSTORE_LOCATION) + "): " + e.getMessage());
        }
        KeyManagerFactory keys = null;
        try {
            KeyStore keyStore = keyStore(config);
            if (keyStore != null) {
                String keyPassword = config.get(ClientSecurity.SSL_KEY_PASSWORD);
                char[] password = !keyPassword.isEmpty() ? keyPassword.toCharArray()
                    : config.get(ClientSecurity.SSL_KEYSTORE_TYPE).equals("PEM") ? NO_PASSWORD
                    : config.get(ClientSecurity.SSL_KEYSTORE_PASSWORD).toCharArray();
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore, password);
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException(ClientSecurity.SSL_KEYSTORE_LOCATION.name(), "Cannot read the key store ("
                + config.get(ClientSecurity.SSL_KEYSTORE_TYPE) + " " + config.get(ClientSecurity.SSL_KEYSTORE_LOCATION) + "): " + e.getMessage());
        }
        String protocol = config.get(ClientSecurity.SSL_PROTOCOL);
        try {
            SSLContext context = SSLContext.getInstance(protocol);
            TrustManagerFactory trustManagers = null;
            if (trust != null) {
                trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trust);
            }
            context.init(keys == null ? null : keys.getKeyManagers(), trustManagers == null ? null : trustManagers.getTrustManagers(), null);
            return new TlsSettings(context, config.get(ClientSecurity.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM).trim(),
                config.get(ClientSecurity.SSL_ENABLED_PROTOCOLS), config.get(ClientSecurity.SSL_CIPHER_SUITES));
        } catch (GeneralSecurityException e) {
            throw new ConfigException(ClientSecurity.SSL_PROTOCOL.name(), "Cannot set up TLS with ssl.protocol " + protocol + ": " + e.getMessage());
        }
    }

    /** A client engine for a connection to {@code host:port}, the host checked against the broker's certificate when asked. */
    public SSLEngine newEngine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        if (!endpointIdentification.isEmpty()) {
            parameters.setEndpointIdentificationAlgorithm(endpointIdentification.toUpperCase(java.util.Locale.ROOT));
        }
        List<String> supported = List.of(engine.getSupportedProtocols());
        String[] enabled = protocols.stream().filter(supported::contains).toArray(String[]::new);
        if (enabled.length > 0) {
            parameters.setProtocols(enabled);
        }
        if (!cipherSuites.isEmpty()) {
            parameters.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** The trust store, or null for the JDK's default certificate authorities. */
    private static KeyStore trustStore(ClientConfig config) throws IOException, GeneralSecurityException {
        String type = config.get(ClientSecurity.SSL_TRUSTSTORE_TYPE);
        String location = config.get(ClientSecurity.SSL_TRUSTSTORE_LOCATION);
        if (!type.equals("PEM")) {
            return location.isEmpty() ? null : KeyMaterial.load(type, location, config.get(ClientSecurity.SSL_TRUSTSTORE_PASSWORD));
        }
        String pem = !location.isEmpty() ? Files.readString(Path.of(location), StandardCharsets.US_ASCII)
            : config.get(ClientSecurity.SSL_TRUSTSTORE_CERTIFICATES);
        if (pem.isEmpty()) {
            return null;
        }
        List<Certificate> certificates = KeyMaterial.certificates(pem);
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE in the PEM trust store");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        return store;
    }

    /** The key store, or null when the client has no certificate of its own. */
    private static KeyStore keyStore(ClientConfig config) throws IOException, GeneralSecurityException {
        String type = config.get(ClientSecurity.SSL_KEYSTORE_TYPE);
        String location = config.get(ClientSecurity.SSL_KEYSTORE_LOCATION);
        if (!type.equals("PEM")) {
            return location.isEmpty() ? null : KeyMaterial.load(type, location, config.get(ClientSecurity.SSL_KEYSTORE_PASSWORD));
        }
        String chain = config.get(ClientSecurity.SSL_KEYSTORE_CERTIFICATE_CHAIN);
        String key = config.get(ClientSecurity.SSL_KEYSTORE_KEY);
        if (!location.isEmpty()) {
            chain = Files.readString(Path.of(location), StandardCharsets.US_ASCII);
            key = chain;
        }
        if (chain.isEmpty() && key.isEmpty()) {
            return null;
        }
        List<Certificate> certificates = KeyMaterial.certificates(chain);
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE in the PEM key store");
        }
        PrivateKey privateKey = KeyMaterial.privateKey(key, config.get(ClientSecurity.SSL_KEY_PASSWORD).toCharArray());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", privateKey, NO_PASSWORD, certificates.toArray(new Certificate[0]));
        return store;
    }
}
