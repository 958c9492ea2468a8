package io.tributary.clients.security;

import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.ConfigException;
import io.tributary.config.ConfigKey;

import java.util.List;

/**
 * How a client secures its broker connections, read once from Kafka's client keys: {@code security.protocol} says
 * whether connections use TLS ({@code SSL}, {@code SASL_SSL}) and whether they authenticate with SASL
 * ({@code SASL_PLAINTEXT}, {@code SASL_SSL}); the {@code ssl.*} keys say which stores and checks TLS uses; the
 * {@code sasl.*} keys say which mechanism and which credentials SASL uses.
 *
 * <p>Invariant: {@link #tls()} is non-null exactly when the protocol uses TLS, {@link #sasl()} exactly when it uses
 * SASL; both were checked when built (stores readable, mechanism supported, credentials present), so a
 * misconfiguration is one {@link ConfigException} naming the key at client construction, not a failure per connection.
 */
public record ClientSecurity(String protocol, TlsSettings tls, SaslSettings sasl) {
    public static final String PLAINTEXT = "PLAINTEXT";
    public static final String SSL = "SSL";
    public static final String SASL_PLAINTEXT = "SASL_PLAINTEXT";
    public static final String SASL_SSL = "SASL_SSL";

    public static final ConfigKey<String> SECURITY_PROTOCOL = ConfigKey.choiceKey("security.protocol", PLAINTEXT, SSL,
            SASL_PLAINTEXT, SASL_SSL).defaultValue(PLAINTEXT)
        .documentation("How to talk to brokers: PLAINTEXT, SSL (TLS), SASL_PLAINTEXT (SASL authentication, no TLS) or "
            + "SASL_SSL (SASL authentication over TLS).").build();

    // ---------------------------------------------------------------- TLS, Kafka's names and defaults

    public static final ConfigKey<String> SSL_PROTOCOL = ConfigKey.stringKey("ssl.protocol").defaultValue("TLSv1.3")
        .documentation("The SSLContext protocol.").build();
    public static final ConfigKey<List<String>> SSL_ENABLED_PROTOCOLS = ConfigKey.listKey("ssl.enabled.protocols",
            ConfigKey.ListSyntax.of("TLS protocol names")).defaultValue(List.of("TLSv1.2", "TLSv1.3"))
        .documentation("The TLS versions the client offers.").build();
    public static final ConfigKey<List<String>> SSL_CIPHER_SUITES = ConfigKey.listKey("ssl.cipher.suites",
            ConfigKey.ListSyntax.of("cipher suite names")).defaultValue(List.of())
        .documentation("The cipher suites the client offers; empty means the JDK's defaults.").build();
    public static final ConfigKey<String> SSL_ENDPOINT_IDENTIFICATION_ALGORITHM = ConfigKey.stringKey("ssl.endpoint.identification.algorithm")
        .defaultValue("https")
        .documentation("https checks that the broker's certificate names the host connected to; empty turns the check off.").build();
    public static final ConfigKey<String> SSL_TRUSTSTORE_TYPE = ConfigKey.choiceKey("ssl.truststore.type", "JKS", "PKCS12", "PEM")
        .defaultValue("JKS").documentation("The trust store's format: JKS, PKCS12 or PEM.").build();
    public static final ConfigKey<String> SSL_TRUSTSTORE_LOCATION = ConfigKey.stringKey("ssl.truststore.location").defaultValue("")
        .documentation("The trust store file: the certificate authorities whose brokers are trusted; empty means the JDK's.").build();
    public static final ConfigKey<String> SSL_TRUSTSTORE_PASSWORD = ConfigKey.passwordKey("ssl.truststore.password").defaultValue("")
        .documentation("The trust store's password (not used for PEM).").build();
    public static final ConfigKey<String> SSL_TRUSTSTORE_CERTIFICATES = ConfigKey.passwordKey("ssl.truststore.certificates").defaultValue("")
        .documentation("Trusted certificates in PEM, inline (with ssl.truststore.type=PEM and no location).").build();
    public static final ConfigKey<String> SSL_KEYSTORE_TYPE = ConfigKey.choiceKey("ssl.keystore.type", "JKS", "PKCS12", "PEM")
        .defaultValue("JKS").documentation("The key store's format: JKS, PKCS12 or PEM.").build();
    public static final ConfigKey<String> SSL_KEYSTORE_LOCATION = ConfigKey.stringKey("ssl.keystore.location").defaultValue("")
        .documentation("The key store file with the client's certificate for brokers that ask for one (ssl.client.auth).").build();
    public static final ConfigKey<String> SSL_KEYSTORE_PASSWORD = ConfigKey.passwordKey("ssl.keystore.password").defaultValue("")
        .documentation("The key store's password.").build();
    public static final ConfigKey<String> SSL_KEY_PASSWORD = ConfigKey.passwordKey("ssl.key.password").defaultValue("")
        .documentation("The private key's password, when it differs from the key store's (for PEM: of an encrypted key).").build();
    public static final ConfigKey<String> SSL_KEYSTORE_CERTIFICATE_CHAIN = ConfigKey.passwordKey("ssl.keystore.certificate.chain").defaultValue("")
        .documentation("The client's certificate chain in PEM, inline (with ssl.keystore.type=PEM and no location).").build();
    public static final ConfigKey<String> SSL_KEYSTORE_KEY = ConfigKey.passwordKey("ssl.keystore.key").defaultValue("")
        .documentation("The client's PKCS#8 private key in PEM, inline (with ssl.keystore.type=PEM and no location).").build();

    // ---------------------------------------------------------------- SASL

    public static final ConfigKey<String> SASL_MECHANISM = ConfigKey.stringKey("sasl.mechanism").defaultValue("GSSAPI")
        .documentation("The SASL mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER (Kafka's default GSSAPI, "
            + "Kerberos, is not supported).").build();
    public static final ConfigKey<String> SASL_JAAS_CONFIG = ConfigKey.passwordKey("sasl.jaas.config").defaultValue("")
        .documentation("The credentials in Kafka's JAAS syntax: for example org.apache.kafka.common.security.plain.PlainLoginModule "
            + "required username=\"alice\" password=\"alice-secret\"; (ScramLoginModule likewise; OAuthBearerLoginModule with "
            + "unsecuredLoginStringClaim_sub=\"alice\" for an unsecured token).").build();
    public static final ConfigKey<String> SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL = ConfigKey.stringKey("sasl.oauthbearer.token.endpoint.url")
        .defaultValue("")
        .documentation("For OAUTHBEARER: a file: URL names a file holding the token (a JWT), read again at each authentication "
            + "(only file: URLs are supported).").build();

    /** The security keys, for {@code CommonClientConfigs.definition()}. */
    public static ConfigKey<?>[] keys() {
        return new ConfigKey<?>[] {SECURITY_PROTOCOL, SSL_PROTOCOL, SSL_ENABLED_PROTOCOLS, SSL_CIPHER_SUITES,
            SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, SSL_TRUSTSTORE_TYPE, SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD,
            SSL_TRUSTSTORE_CERTIFICATES, SSL_KEYSTORE_TYPE, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD, SSL_KEY_PASSWORD,
            SSL_KEYSTORE_CERTIFICATE_CHAIN, SSL_KEYSTORE_KEY, SASL_MECHANISM, SASL_JAAS_CONFIG, SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL};
    }

    /**
     * Reads and checks the security settings of {@code config}.
     *
     * @throws ConfigException naming the key when a store cannot be read, the mechanism is not supported or the
     *                         JAAS configuration lacks what the mechanism needs
     */
    public static ClientSecurity of(ClientConfig config) {
        String protocol = config.get(SECURITY_PROTOCOL);
        boolean usesTls = protocol.equals(SSL) || protocol.equals(SASL_SSL);
        boolean usesSasl = protocol.equals(SASL_PLAINTEXT) || protocol.equals(SASL_SSL);
        TlsSettings tls = usesTls ? TlsSettings.of(config) : null;
        SaslSettings sasl = usesSasl ? SaslSettings.of(config) : null;
        return new ClientSecurity(protocol, tls, sasl);
    }

    public static ClientSecurity plaintext() {
        return new ClientSecurity(PLAINTEXT, null, null);
    }
}
