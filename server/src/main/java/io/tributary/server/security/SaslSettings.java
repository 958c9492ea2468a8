package io.tributary.server.security;

import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.config.ConfigValues;
import io.tributary.config.Validator;
import io.tributary.server.security.sasl.OAuthBearerSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SASL settings of one listener, under Kafka's key names ({@link #KEYS}): the mechanisms it enables and, for
 * PLAIN, its users, from Kafka's {@code listener.name.<listener>.plain.sasl.jaas.config} in JAAS syntax with
 * {@code user_NAME="password"} options, as Kafka's PlainLoginModule reads them:
 * <pre>
 * listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \
 *     username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";
 * </pre>
 * SCRAM users are not configured here: their salted credentials are kept by the broker's credential store and
 * managed with AlterUserScramCredentials.
 *
 * @param enabledMechanisms           {@code sasl.enabled.mechanisms} (per listener or broker-wide)
 * @param plainPasswords              user -> password of PLAIN, empty when no JAAS configuration names users
 * @param failedAuthenticationDelayMs {@code connection.failed.authentication.delay.ms}
 * @param reauthMs                    {@code connections.max.reauth.ms}: the session lifetime (KIP-368), 0 for none
 * @param oauth                       how OAUTHBEARER tokens are validated
 */
public record SaslSettings(List<String> enabledMechanisms, Map<String, String> plainPasswords, int failedAuthenticationDelayMs,
                           long reauthMs, OAuthBearerSettings oauth) {
    public static final String PLAIN = "PLAIN";
    public static final String OAUTHBEARER = "OAUTHBEARER";
    public static final String JAAS_CONFIG_SUFFIX = ".sasl.jaas.config";

    private static final ConfigDefinition.Builder OWN = ConfigDefinition.builder();

    public static final ConfigKey<List<String>> ENABLED_MECHANISMS = OWN.add(ConfigKey.choiceListKey("sasl.enabled.mechanisms",
            "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", OAUTHBEARER)
        .defaultValue(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"))
        .documentation("The SASL mechanisms SASL_PLAINTEXT and SASL_SSL listeners accept (Kafka's default, GSSAPI, is not"
            + " served). PLAIN users come from listener.name.<listener>.plain.sasl.jaas.config (user_NAME=\"password\");"
            + " SCRAM users from AlterUserScramCredentials; OAUTHBEARER tokens as the sasl.oauthbearer keys say.").build());
    public static final ConfigKey<String> MECHANISM_INTER_BROKER_PROTOCOL = OWN.add(ConfigKey.stringKey(
            "sasl.mechanism.inter.broker.protocol")
        .defaultValue("GSSAPI").documentation("The SASL mechanism brokers use between themselves; accepted now, used by"
            + " replication once brokers form a cluster.").build());
    public static final ConfigKey<Integer> FAILED_AUTHENTICATION_DELAY_MS = OWN.add(ConfigKey.intKey(
            "connection.failed.authentication.delay.ms")
        .defaultValue(100).validator(Validator.atLeast(0))
        .documentation("How long the answer to a failed authentication is held back before the connection closes, to"
            + " slow down password guessing.").build());

    public static final ConfigKey<Long> CONNECTIONS_MAX_REAUTH_MS = OWN.add(ConfigKey.longKey("connections.max.reauth.ms")
        .defaultValue(0L).validator(Validator.atLeast(0))
        .documentation("The longest a SASL session lasts without re-authentication (KIP-368): told to the client in"
            + " SaslAuthenticate (an OAUTHBEARER token's expiry shortens it), and a connection that sends a request after it"
            + " without having re-authenticated is closed. 0: sessions do not expire.").build());
    public static final ConfigKey<String> OAUTHBEARER_JWKS_URL = OWN.add(ConfigKey.stringKey("sasl.oauthbearer.jwks.endpoint.url")
        .defaultValue("").describedAs("empty, or a file: URL of a JWKS")
        .documentation("The keys OAUTHBEARER tokens must be signed with (RS256 or ES256), as a JWKS file read at start."
            + " Empty: unsecured JWS tokens (alg none) are accepted, for development, as Kafka's default validator does.").build());
    public static final ConfigKey<String> OAUTHBEARER_SUB_CLAIM = OWN.add(ConfigKey.stringKey("sasl.oauthbearer.sub.claim.name")
        .defaultValue("sub").documentation("The claim of a signed OAUTHBEARER token that names the principal.").build());
    public static final ConfigKey<Integer> OAUTHBEARER_CLOCK_SKEW_SECONDS = OWN.add(ConfigKey.intKey(
            "sasl.oauthbearer.clock.skew.seconds").defaultValue(30).inRange(0, 3600)
        .documentation("How long past its exp a signed OAUTHBEARER token is still accepted.").build());
    public static final ConfigKey<String> OAUTHBEARER_EXPECTED_ISSUER = OWN.add(ConfigKey.stringKey(
            "sasl.oauthbearer.expected.issuer").defaultValue("")
        .documentation("The iss a signed OAUTHBEARER token must carry; empty for no check.").build());
    public static final ConfigKey<List<String>> OAUTHBEARER_EXPECTED_AUDIENCE = OWN.add(ConfigKey.listKey(
            "sasl.oauthbearer.expected.audience", ConfigKey.ListSyntax.of("audiences")).defaultValue(List.of())
        .documentation("Audiences of which a signed OAUTHBEARER token's aud must name one; empty for no check.").build());

    /** Every SASL key, in the reference's order. */
    public static final ConfigDefinition KEYS = OWN.build();

    private static final Pattern JAAS_OPTION = Pattern.compile("([A-Za-z0-9_.\\-]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * The settings of a listener: {@code overrides} holds its parsed {@code listener.name.<listener>.} values by key
     * name, and its JAAS configurations under {@code <mechanism>.sasl.jaas.config}.
     */
    public static SaslSettings of(ConfigValues broker, Map<String, Object> overrides) {
        @SuppressWarnings("unchecked")
        List<String> mechanisms = (List<String>) overrides.getOrDefault(ENABLED_MECHANISMS.name(), broker.get(ENABLED_MECHANISMS));
        Object jaas = overrides.get(PLAIN.toLowerCase(Locale.ROOT) + JAAS_CONFIG_SUFFIX);
        OAuthBearerSettings oauth = OAuthBearerSettings.UNSECURED;
        if (mechanisms.contains(OAUTHBEARER)) {
            String jwks = broker.get(OAUTHBEARER_JWKS_URL);
            if (jwks.isEmpty()) {
                // Kafka's unsecured validator options, from the listener's OAUTHBEARER JAAS configuration
                Object oauthJaas = overrides.get(OAUTHBEARER.toLowerCase(Locale.ROOT) + JAAS_CONFIG_SUFFIX);
                Map<String, String> options = oauthJaas == null ? Map.of() : jaasOptions((String) oauthJaas);
                oauth = new OAuthBearerSettings(Map.of(), options.getOrDefault("unsecuredValidatorPrincipalClaimName", "sub"),
                    Long.parseLong(options.getOrDefault("unsecuredValidatorAllowableClockSkewMs", "0")), null, List.of());
            } else {
                String issuer = broker.get(OAUTHBEARER_EXPECTED_ISSUER);
                oauth = new OAuthBearerSettings(OAuthBearerSettings.readJwks(jwks), broker.get(OAUTHBEARER_SUB_CLAIM),
                    broker.get(OAUTHBEARER_CLOCK_SKEW_SECONDS) * 1000L, issuer.isEmpty() ? null : issuer,
                    broker.get(OAUTHBEARER_EXPECTED_AUDIENCE));
            }
        }
        return new SaslSettings(mechanisms, jaas == null ? Map.of() : plainUsers((String) jaas),
            broker.get(FAILED_AUTHENTICATION_DELAY_MS), broker.get(CONNECTIONS_MAX_REAUTH_MS), oauth);
    }

    /** Every {@code name="value"} option of a JAAS configuration. */
    static Map<String, String> jaasOptions(String jaasConfig) {
        Map<String, String> options = new LinkedHashMap<>();
        Matcher option = JAAS_OPTION.matcher(jaasConfig);
        while (option.find()) {
            options.put(option.group(1), option.group(2).replaceAll("\\\\(.)", "$1"));
        }
        return options;
    }

    /** The {@code user_NAME="password"} options of a JAAS configuration. */
    public static Map<String, String> plainUsers(String jaasConfig) {
        Map<String, String> users = new LinkedHashMap<>();
        Matcher option = JAAS_OPTION.matcher(jaasConfig);
        while (option.find()) {
            if (option.group(1).startsWith("user_")) {
                users.put(option.group(1).substring("user_".length()), option.group(2).replaceAll("\\\\(.)", "$1"));
            }
        }
        return Map.copyOf(users);
    }

    /** Whether {@code rest} (after {@code listener.name.<listener>.}) names a JAAS configuration: "plain.sasl.jaas.config". */
    public static boolean isJaasKey(String rest) {
        if (!rest.endsWith(JAAS_CONFIG_SUFFIX)) {
            return false;
        }
        String mechanism = rest.substring(0, rest.length() - JAAS_CONFIG_SUFFIX.length()).toUpperCase(Locale.ROOT);
        return List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", OAUTHBEARER).contains(mechanism);
    }

    @Override
    public String toString() {
        return "SaslSettings[mechanisms=" + enabledMechanisms + ", plainUsers=" + plainPasswords.keySet() + "]";
    }
}
