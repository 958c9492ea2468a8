package io.tributary.clients.security;

import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.ConfigException;
import io.tributary.clients.security.sasl.OAuthBearerClient;
import io.tributary.clients.security.sasl.PlainClient;
import io.tributary.clients.security.sasl.SaslMechanismClient;
import io.tributary.clients.security.sasl.ScramClient;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * The client's SASL mechanism and credentials, checked once: PLAIN and SCRAM-SHA-256/512 take {@code username} and
 * {@code password} from the JAAS entry (Kafka's PlainLoginModule / ScramLoginModule syntax); OAUTHBEARER takes a token
 * from the file {@code sasl.oauthbearer.token.endpoint.url} names, or else makes Kafka's unsecured token from the
 * entry's {@code unsecuredLogin*} options. {@link #newExchange()} starts one authentication (each connection, and each
 * re-authentication, runs its own).
 */
public final class SaslSettings {
    public static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER");

    private final String mechanism;
    private final JaasConfig jaas;
    private final Path tokenFile;

    private SaslSettings(String mechanism, JaasConfig jaas, Path tokenFile) {
        this.mechanism = mechanism;
        this.jaas = jaas;
        this.tokenFile = tokenFile;
    }

    /** @throws ConfigException naming sasl.mechanism or sasl.jaas.config */
    static SaslSettings of(ClientConfig config) {
        String mechanism = config.get(ClientSecurity.SASL_MECHANISM).trim().toUpperCase(java.util.Locale.ROOT);
        if (!MECHANISMS.contains(mechanism)) {
            throw new ConfigException(ClientSecurity.SASL_MECHANISM.name(), "SASL mechanism " + mechanism
                + " is not supported by Tributary's clients (supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER)");
        }
        String text = config.get(ClientSecurity.SASL_JAAS_CONFIG);
        String endpoint = config.get(ClientSecurity.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL).trim();
        Path tokenFile = null;
        if (mechanism.equals("OAUTHBEARER") && !endpoint.isEmpty()) {
            URI uri = URI.create(endpoint);
            if (!"file".equalsIgnoreCase(uri.getScheme())) {
                throw new ConfigException(ClientSecurity.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL.name(), "Only file: URLs are supported"
                    + " (a file holding the token), not " + endpoint);
            }
            tokenFile = Path.of(uri);
        }
        if (text.isBlank()) {
            if (tokenFile != null) {
                return new SaslSettings(mechanism, new JaasConfig("", java.util.Map.of()), tokenFile);
            }
            throw new ConfigException(ClientSecurity.SASL_JAAS_CONFIG.name(), "SASL mechanism " + mechanism
                + " needs sasl.jaas.config (for example " + example(mechanism) + ")");
        }
        JaasConfig jaas;
        try {
            jaas = JaasConfig.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ClientSecurity.SASL_JAAS_CONFIG.name(), e.getMessage());
        }
        if (!mechanism.equals("OAUTHBEARER") && (jaas.option("username") == null || jaas.option("password") == null)) {
            throw new ConfigException(ClientSecurity.SASL_JAAS_CONFIG.name(), "SASL mechanism " + mechanism
                + " needs username and password in sasl.jaas.config (for example " + example(mechanism) + ")");
        }
        if (mechanism.equals("OAUTHBEARER") && tokenFile == null) {
            OAuthBearerClient.checkUnsecuredOptions(jaas); // a bad option is a configuration error, found now
        }
        return new SaslSettings(mechanism, jaas, tokenFile);
    }

    private static String example(String mechanism) {
        return switch (mechanism) {
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"...\";";
            case "OAUTHBEARER" -> "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=\"alice\";";
            default -> "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"...\";";
        };
    }

    public String mechanism() {
        return mechanism;
    }

    /** The user name the client authenticates as (for messages), or null for OAUTHBEARER. */
    public String username() {
        return jaas.option("username");
    }

    /** A fresh exchange for one authentication. */
    public SaslMechanismClient newExchange() {
        return switch (mechanism) {
            case "PLAIN" -> new PlainClient(jaas.option("username"), jaas.option("password"));
            case "SCRAM-SHA-256" -> new ScramClient(ScramClient.Algorithm.SHA_256, jaas.option("username"), jaas.option("password"));
            case "SCRAM-SHA-512" -> new ScramClient(ScramClient.Algorithm.SHA_512, jaas.option("username"), jaas.option("password"));
            case "OAUTHBEARER" -> tokenFile != null ? OAuthBearerClient.fromFile(tokenFile) : OAuthBearerClient.unsecured(jaas);
            default -> throw new IllegalStateException(mechanism);
        };
    }

    @Override
    public String toString() {
        return mechanism + (username() != null ? " as " + username() : "");
    }
}
