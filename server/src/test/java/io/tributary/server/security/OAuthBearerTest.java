package io.tributary.server.security;

import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.security.authz.AuthorizerSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.security.auth.callback.Callback;
import javax.security.auth.login.AppConfigurationEntry;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * OAUTHBEARER against Kafka's own clients: Kafka's unsecured development login ({@code unsecuredLoginStringClaim_sub})
 * against a broker without a JWKS, and RS256 / ES256 tokens against a broker with a JWKS file, refused when expired,
 * badly signed, signed by an unknown key or unsigned. The principal is the token's subject (checked through ACLs).
 */
class OAuthBearerTest {
    private static Path dir;
    private static BrokerFixture unsecured;
    private static BrokerFixture signed;
    private static KeyPair rsa;
    private static KeyPair ec;

    /** Kafka's login callback for the tests: hands out {@link #token} as it is when the client logs in. */
    public static final class FixedTokenHandler implements AuthenticateCallbackHandler {
        static volatile String token;

        @Override
        public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> entries) {
        }

        @Override
        public void handle(Callback[] callbacks) {
            String value = token;
            long now = System.currentTimeMillis();
            for (Callback callback : callbacks) {
                if (!(callback instanceof OAuthBearerTokenCallback tokenCallback)) {
                    continue; // SASL extensions: none
                }
                tokenCallback.token(new OAuthBearerToken() {
                    public String value() {
                        return value;
                    }

                    public Set<String> scope() {
                        return Set.of();
                    }

                    public long lifetimeMs() {
                        return now + 3_600_000; // what the client believes; the broker reads exp from the token itself
                    }

                    public String principalName() {
                        return "client-side-name";
                    }

                    public Long startTimeMs() {
                        return now;
                    }
                });
            }
        }

        @Override
        public void close() {
        }
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tributary-oauth");
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGenerator.generateKeyPair();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, "{\"keys\":[" + rsaJwk("rsa-1", (RSAPublicKey) rsa.getPublic()) + ","
            + ecJwk("ec-1", (ECPublicKey) ec.getPublic()) + "]}");
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "SASL_PLAINTEXT://127.0.0.1:0");
        settings.put("sasl.enabled.mechanisms", "OAUTHBEARER");
        settings.put("authorizer.class.name", AuthorizerSettings.KAFKA_STANDARD_AUTHORIZER);
        settings.put("super.users", "User:alice");
        unsecured = new BrokerFixture(settings);
        settings.put("sasl.oauthbearer.jwks.endpoint.url", jwks.toUri().toString());
        settings.put("sasl.oauthbearer.expected.issuer", "https://issuer.test");
        signed = new BrokerFixture(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        for (BrokerFixture fixture : new BrokerFixture[] {unsecured, signed}) {
            if (fixture != null) {
                fixture.close();
            }
        }
        try (var files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return b64(bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }

    private static String rsaJwk(String kid, RSAPublicKey key) {
        return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"n\":\"" + unsigned(key.getModulus()) + "\",\"e\":\""
            + unsigned(key.getPublicExponent()) + "\"}";
    }

    private static String ecJwk(String kid, ECPublicKey key) {
        return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\",\"x\":\"" + coordinate(key.getW().getAffineX())
            + "\",\"y\":\"" + coordinate(key.getW().getAffineY()) + "\"}";
    }

    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return b64(fixed);
    }

    private static String jwt(String alg, String kid, PrivateKey key, String subject, long expSeconds) throws Exception {
        String header = b64(("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
        String claims = b64(("{\"sub\":\"" + subject + "\",\"iss\":\"https://issuer.test\",\"iat\":"
            + System.currentTimeMillis() / 1000 + ",\"exp\":" + expSeconds + "}").getBytes(StandardCharsets.UTF_8));
        String signedPart = header + "." + claims;
        if (key == null) {
            return signedPart + ".";
        }
        Signature signer = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
        signer.initSign(key);
        signer.update(signedPart.getBytes(StandardCharsets.US_ASCII));
        return signedPart + "." + b64(signer.sign());
    }

    private static Properties client(BrokerFixture fixture, String jaas, boolean fixedToken) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + fixture.broker().boundAddresses().get(0).getPort());
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        properties.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, jaas);
        if (fixedToken) {
            properties.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, FixedTokenHandler.class.getName());
        }
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return properties;
    }

    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required";

    @Test
    void kafkasUnsecuredDevelopmentLoginAuthenticatesAsItsSubject() throws Exception {
        try (Admin alice = Admin.create(client(unsecured, LOGIN_MODULE + " unsecuredLoginStringClaim_sub=\"alice\";", false))) {
            alice.createTopics(List.of(new NewTopic("oauth-alice", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
            assertThat(alice.listTopics().names().get(20, TimeUnit.SECONDS)).contains("oauth-alice");
        }
        try (Admin bob = Admin.create(client(unsecured, LOGIN_MODULE + " unsecuredLoginStringClaim_sub=\"bob\";", false))) {
            assertThat(bob.listTopics().names().get(20, TimeUnit.SECONDS)).isEmpty();
            assertThatThrownBy(() -> bob.createTopics(List.of(new NewTopic("oauth-bob", 1, (short) 1))).all().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void signedTokensAreValidatedAgainstTheJwks() throws Exception {
        long inAnHour = System.currentTimeMillis() / 1000 + 3600;
        FixedTokenHandler.token = jwt("RS256", "rsa-1", rsa.getPrivate(), "alice", inAnHour);
        try (Admin alice = Admin.create(client(signed, LOGIN_MODULE + ";", true))) {
            alice.createTopics(List.of(new NewTopic("jwt-rs256", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
        FixedTokenHandler.token = jwt("ES256", "ec-1", ec.getPrivate(), "alice", inAnHour);
        try (Admin alice = Admin.create(client(signed, LOGIN_MODULE + ";", true))) {
            assertThat(alice.listTopics().names().get(20, TimeUnit.SECONDS)).contains("jwt-rs256");
        }
        for (String refused : List.of(
            jwt("RS256", "rsa-1", rsa.getPrivate(), "alice", System.currentTimeMillis() / 1000 - 600),  // expired
            jwt("RS256", "ec-1", rsa.getPrivate(), "alice", inAnHour),                                  // another key's id
            jwt("ES256", "ec-1", ec.getPrivate(), "alice", inAnHour).replaceAll(".{4}$", "AAAA"),       // bad signature
            jwt("none", "rsa-1", null, "alice", inAnHour))) {                                           // unsigned
            FixedTokenHandler.token = refused;
            try (Admin client = Admin.create(client(signed, LOGIN_MODULE + ";", true))) {
                assertThatThrownBy(() -> client.listTopics().names().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
        // an unsecured token is refused once a JWKS is configured, and the broker still serves valid tokens
        FixedTokenHandler.token = jwt("RS256", "rsa-1", rsa.getPrivate(), "alice", inAnHour);
        try (Admin alice = Admin.create(client(signed, LOGIN_MODULE + ";", true))) {
            assertThat(alice.listTopics().names().get(20, TimeUnit.SECONDS)).contains("jwt-rs256");
        }
    }
}
