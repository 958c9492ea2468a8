package io.tributary.server.security;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;
import io.tributary.config.Importance;

import java.util.List;
import java.util.Map;

/**
 * The TLS settings of one listener, under Apache Kafka's key names and with Kafka's defaults ({@link #KEYS}, which
 * the broker's configuration composes). A listener takes each key from {@code listener.name.<listener>.<key>} when
 * that is set (lower-case listener name, as Kafka spells it), else from the broker-wide key.
 *
 * <p>The key store is a JKS or PKCS12 file ({@code ssl.keystore.location}, {@code ssl.keystore.password},
 * {@code ssl.key.password}), or PEM: a file of type PEM holding the private key and the certificate chain, or the
 * two inline ({@code ssl.keystore.key}, {@code ssl.keystore.certificate.chain}). The trust store likewise
 * ({@code ssl.truststore.certificates} inline). Without a trust store the JDK's default CAs verify client certificates.
 *
 * <p>{@code ssl.engine} is ours, not Kafka's: Kafka's {@code ssl.provider} names a JCA security provider, a different
 * thing, so the choice between the OpenSSL engine (netty-tcnative) and the JDK's engine has a key of its own.
 */
public record SslSettings(String keystoreType, String keystoreLocation, String keystorePassword, String keyPassword,
                          String keystoreCertificateChain, String keystoreKey,
                          String truststoreType, String truststoreLocation, String truststorePassword, String truststoreCertificates,
                          ClientAuth clientAuth, List<String> enabledProtocols, List<String> cipherSuites,
                          String endpointIdentificationAlgorithm, String principalMappingRules, Engine engine) {

    /** {@code ssl.client.auth}: whether the broker asks for, or insists on, a client certificate. */
    public enum ClientAuth {
        NONE, REQUESTED, REQUIRED
    }

    /** {@code ssl.engine}: which TLS implementation encrypts. */
    public enum Engine {
        /** OpenSSL when netty-tcnative loads on this machine, else the JDK's. */
        AUTO,
        JDK,
        OPENSSL
    }

    private static final ConfigDefinition.Builder OWN = ConfigDefinition.builder();

    public static final ConfigKey<String> KEYSTORE_TYPE = OWN.add(ConfigKey.choiceKey("ssl.keystore.type", "JKS", "PKCS12", "PEM")
        .defaultValue("JKS").documentation("The format of the key store: JKS, PKCS12 or PEM.").build());
    public static final ConfigKey<String> KEYSTORE_LOCATION = OWN.add(ConfigKey.stringKey("ssl.keystore.location")
        .defaultValue("").importance(Importance.HIGH)
        .documentation("The key store file (the broker's private key and certificate chain) of SSL and SASL_SSL listeners.").build());
    public static final ConfigKey<String> KEYSTORE_PASSWORD = OWN.add(ConfigKey.passwordKey("ssl.keystore.password")
        .defaultValue("").documentation("The key store file's password (PEM files: unused).").build());
    public static final ConfigKey<String> KEY_PASSWORD = OWN.add(ConfigKey.passwordKey("ssl.key.password")
        .defaultValue("").documentation("The private key's password; empty: the key store's password.").build());
    public static final ConfigKey<String> KEYSTORE_CERTIFICATE_CHAIN = OWN.add(ConfigKey.passwordKey("ssl.keystore.certificate.chain")
        .defaultValue("").documentation("The certificate chain in PEM, inline, with ssl.keystore.key and ssl.keystore.type=PEM.").build());
    public static final ConfigKey<String> KEYSTORE_KEY = OWN.add(ConfigKey.passwordKey("ssl.keystore.key")
        .defaultValue("").documentation("The private key in PEM (PKCS#8), inline, with ssl.keystore.certificate.chain.").build());
    public static final ConfigKey<String> TRUSTSTORE_TYPE = OWN.add(ConfigKey.choiceKey("ssl.truststore.type", "JKS", "PKCS12", "PEM")
        .defaultValue("JKS").documentation("The format of the trust store: JKS, PKCS12 or PEM.").build());
    public static final ConfigKey<String> TRUSTSTORE_LOCATION = OWN.add(ConfigKey.stringKey("ssl.truststore.location")
        .defaultValue("").documentation("The trust store file (CAs that sign client certificates); empty: the JDK's default CAs.").build());
    public static final ConfigKey<String> TRUSTSTORE_PASSWORD = OWN.add(ConfigKey.passwordKey("ssl.truststore.password")
        .defaultValue("").documentation("The trust store file's password.").build());
    public static final ConfigKey<String> TRUSTSTORE_CERTIFICATES = OWN.add(ConfigKey.passwordKey("ssl.truststore.certificates")
        .defaultValue("").documentation("Trusted certificates in PEM, inline, with ssl.truststore.type=PEM.").build());
    public static final ConfigKey<String> CLIENT_AUTH = OWN.add(ConfigKey.choiceKey("ssl.client.auth", "none", "requested", "required")
        .defaultValue("none").documentation("Whether TLS clients must (required) or may (requested) present a certificate;"
            + " a client without one is refused by required.").build());
    public static final ConfigKey<List<String>> ENABLED_PROTOCOLS = OWN.add(ConfigKey.listKey("ssl.enabled.protocols",
            ConfigKey.ListSyntax.of("TLS protocol names").nonEmptyList())
        .defaultValue(List.of("TLSv1.2", "TLSv1.3")).documentation("The TLS versions accepted.").build());
    public static final ConfigKey<List<String>> CIPHER_SUITES = OWN.add(ConfigKey.listKey("ssl.cipher.suites",
            ConfigKey.ListSyntax.of("cipher suite names"))
        .defaultValue(List.of()).describedAs("a comma-separated list of cipher suite names, or empty for the engine's defaults")
        .documentation("The cipher suites accepted.").build());
    public static final ConfigKey<String> ENDPOINT_IDENTIFICATION_ALGORITHM = OWN.add(ConfigKey.stringKey(
            "ssl.endpoint.identification.algorithm")
        .defaultValue("https").documentation("How a TLS client checks the server's host name (https, or empty: not checked);"
            + " accepted for the broker's own connections to other brokers.").build());
    public static final ConfigKey<String> PRINCIPAL_MAPPING_RULES = OWN.add(ConfigKey.stringKey("ssl.principal.mapping.rules")
        .defaultValue("DEFAULT").validator(io.tributary.config.Validator.of(SslPrincipalMapper::isValid,
            "DEFAULT and RULE:pattern/replacement/[LU] entries, comma-separated"))
        .documentation("How a client certificate's distinguished name becomes the principal's name: the first RULE whose"
            + " pattern matches the whole name rewrites it; DEFAULT keeps the name.").build());
    public static final ConfigKey<String> ENGINE = OWN.add(ConfigKey.choiceKey("ssl.engine", "auto", "jdk", "openssl")
        .defaultValue("auto").documentation("The TLS engine: openssl (netty-tcnative), jdk, or auto: OpenSSL when it loads"
            + " on this machine, else the JDK's. Tributary's key: Kafka's ssl.provider names a JCA provider instead.").build());

    /** Every TLS key, in the reference's order. */
    public static final ConfigDefinition KEYS = OWN.build();

    /** The prefix of per-listener overrides: {@code listener.name.ssl.ssl.keystore.location}. */
    public static final String LISTENER_PREFIX = "listener.name.";

    /**
     * The settings of {@code listenerName}: {@code overrides} holds the parsed per-listener values by key name
     * ({@code listener.name.<name>.} stripped), the broker-wide values fill the rest.
     */
    public static SslSettings of(ConfigValues broker, Map<String, Object> overrides) {
        Lookup lookup = new Lookup() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T get(ConfigKey<T> key) {
                Object value = overrides.get(key.name());
                return value != null ? (T) value : broker.get(key);
            }
        };
        return new SslSettings(lookup.get(KEYSTORE_TYPE), lookup.get(KEYSTORE_LOCATION), lookup.get(KEYSTORE_PASSWORD),
            lookup.get(KEY_PASSWORD), lookup.get(KEYSTORE_CERTIFICATE_CHAIN), lookup.get(KEYSTORE_KEY), lookup.get(TRUSTSTORE_TYPE),
            lookup.get(TRUSTSTORE_LOCATION), lookup.get(TRUSTSTORE_PASSWORD), lookup.get(TRUSTSTORE_CERTIFICATES),
            ClientAuth.valueOf(lookup.get(CLIENT_AUTH).toUpperCase(java.util.Locale.ROOT)), lookup.get(ENABLED_PROTOCOLS),
            lookup.get(CIPHER_SUITES), lookup.get(ENDPOINT_IDENTIFICATION_ALGORITHM), lookup.get(PRINCIPAL_MAPPING_RULES),
            Engine.valueOf(lookup.get(ENGINE).toUpperCase(java.util.Locale.ROOT)));
    }

    private interface Lookup {
        <T> T get(ConfigKey<T> key);
    }

    /** Whether a key store is configured at all: a file, or the inline PEM pair. */
    public boolean hasKeyStore() {
        return !keystoreLocation.isEmpty() || !keystoreCertificateChain.isEmpty() && !keystoreKey.isEmpty();
    }

    @Override
    public String toString() {
        // Passwords and inline keys never reach a log line.
        return "SslSettings[keystore=" + keystoreType + ":" + (keystoreLocation.isEmpty() ? "(inline)" : keystoreLocation)
            + ", truststore=" + truststoreType + ":" + (truststoreLocation.isEmpty() ? "(inline or JDK)" : truststoreLocation)
            + ", clientAuth=" + clientAuth + ", protocols=" + enabledProtocols + ", engine=" + engine + "]";
    }
}
