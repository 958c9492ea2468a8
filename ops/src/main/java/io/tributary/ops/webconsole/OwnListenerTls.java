package io.tributary.ops.webconsole;

import io.tributary.server.config.ServerConfig;
import io.tributary.server.security.ServerTlsContext;
import io.tributary.server.security.SslSettings;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The client TLS settings (Kafka's {@code ssl.*} keys) under which a client in the broker's own process, the web
 * console, reaches one of the broker's TLS listeners. Nothing is written to disk: the trusted certificates travel
 * inline as PEM ({@code ssl.truststore.type=PEM}, {@code ssl.truststore.certificates}).
 *
 * <p>What is trusted: the certificates of the listener's own trust store ({@code ssl.truststore.*}, when one is
 * configured), and always the certificate chain of the listener's key store. The latter matters because a
 * broker's trust store holds the authorities of its <em>clients'</em> certificates, which need not include the
 * authority of its own; the console runs in the process that holds the key, so trusting that exact chain is sound.
 *
 * <p>Host names: on a loopback address the name is not checked ({@code ssl.endpoint.identification.algorithm}
 * empty): the console connects to a socket its own process bound, and the certificate is still verified against
 * the trust material above, so only the name check, which a certificate issued for the broker's public name would
 * fail at 127.0.0.1, is left out. Elsewhere the listener's {@code ssl.endpoint.identification.algorithm} applies
 * (https by default), so the certificate must name the bound address.
 *
 * <p>A listener with {@code ssl.client.auth=required} gets the listener's key store as the client's certificate
 * too (a SASL_SSL connection's principal is still the SASL user's).
 */
final class OwnListenerTls {
    private OwnListenerTls() {
    }

    /** The ssl.* client keys for {@code endpoint}, a TLS listener of {@code config} bound at {@code bound}. */
    static Map<String, Object> clientSettings(ServerConfig config, ServerConfig.Endpoint endpoint, InetSocketAddress bound) {
        SslSettings ssl = config.sslSettings(endpoint.name());
        Set<Certificate> trusted = new LinkedHashSet<>(ServerTlsContext.trustedCertificates(endpoint.name(), ssl));
        trusted.addAll(ServerTlsContext.ownCertificateChain(endpoint.name(), ssl));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("ssl.truststore.type", "PEM");
        settings.put("ssl.truststore.certificates", pem(trusted));
        boolean loopback = bound.getAddress().isLoopbackAddress() || bound.getAddress().isAnyLocalAddress();
        settings.put("ssl.endpoint.identification.algorithm", loopback ? "" : ssl.endpointIdentificationAlgorithm());
        settings.put("ssl.enabled.protocols", String.join(",", ssl.enabledProtocols()));
        if (!ssl.cipherSuites().isEmpty()) {
            settings.put("ssl.cipher.suites", String.join(",", ssl.cipherSuites()));
        }
        if (ssl.clientAuth() == SslSettings.ClientAuth.REQUIRED) {
            settings.put("ssl.keystore.type", ssl.keystoreType());
            if (!ssl.keystoreLocation().isEmpty()) {
                settings.put("ssl.keystore.location", ssl.keystoreLocation());
                settings.put("ssl.keystore.password", ssl.keystorePassword());
            } else {
                settings.put("ssl.keystore.certificate.chain", ssl.keystoreCertificateChain());
                settings.put("ssl.keystore.key", ssl.keystoreKey());
            }
            settings.put("ssl.key.password", ssl.keyPassword());
        }
        return settings;
    }

    private static String pem(Set<Certificate> certificates) {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        StringBuilder pem = new StringBuilder();
        for (Certificate certificate : certificates) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(certificate.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot encode the certificate " + certificate, e);
            }
        }
        return pem.toString();
    }
}
