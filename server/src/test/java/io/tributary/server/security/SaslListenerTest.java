package io.tributary.server.security;

import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import io.tributary.server.config.ServerConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.requests.MetadataRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SASL_PLAINTEXT and SASL_SSL listeners against Kafka's own clients: PLAIN users from the listener's JAAS
 * configuration, SCRAM-SHA-256/512 users created with Admin.alterUserScramCredentials and then used, and the
 * refusals (wrong password, unknown user, a mechanism the listener does not enable, a request before authenticating),
 * each answered with Kafka's error while the broker keeps serving others and nothing is written.
 */
class SaslListenerTest {
    private static final String PLAIN_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";

    private static Path dir;
    private static Path serverKeyStore;
    private static Path trustStore;
    private static BrokerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tributary-sasl");
        TestCertificates.Identity authority = TestCertificates.authority("Tributary Test CA");
        serverKeyStore = TestCertificates.server(authority).writeKeyStore(dir, "broker");
        trustStore = TestCertificates.writeTrustStore(dir, "trust", authority);
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0,"
            + "PLAINONLY://127.0.0.1:0");
        settings.put(ServerConfig.LISTENER_SECURITY_PROTOCOL_MAP,
            "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,PLAINONLY:SASL_PLAINTEXT");
        settings.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_JAAS);
        settings.put("listener.name.sasl_ssl.plain.sasl.jaas.config", PLAIN_JAAS);
        settings.put("listener.name.plainonly.plain.sasl.jaas.config", PLAIN_JAAS);
        settings.put("listener.name.plainonly.sasl.enabled.mechanisms", "PLAIN");
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", serverKeyStore.toString());
        settings.put("ssl.keystore.password", TestCertificates.PASSWORD);
        settings.put("connection.failed.authentication.delay.ms", "50");
        fixture = new BrokerFixture(settings);
        try (Admin admin = Admin.create(plaintextAdmin())) {
            admin.alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion("scram-user", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "scram-secret"),
                new UserScramCredentialUpsertion("scram-user", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "scram-secret"),
                new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "bob-secret")))
                .all().get(20, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static int port(int listener) {
        return fixture.broker().boundAddresses().get(listener).getPort();
    }

    private static Properties plaintextAdmin() {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port(0));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return properties;
    }

    /** A client of the SASL listener {@code listener} (1: SASL_PLAINTEXT, 2: SASL_SSL, 3: PLAIN only). */
    private static Properties saslClient(int listener, String mechanism, String user, String password) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port(listener));
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, listener == 2 ? "SASL_SSL" : "SASL_PLAINTEXT");
        properties.put(SaslConfigs.SASL_MECHANISM, mechanism);
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user + "\" password=\"" + password + "\";");
        if (listener == 2) {
            properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
            properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore.toString());
            properties.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        }
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return properties;
    }

    @ParameterizedTest
    @CsvSource({"1, PLAIN, alice, alice-secret", "1, SCRAM-SHA-256, scram-user, scram-secret", "1, SCRAM-SHA-512, bob, bob-secret",
        "2, PLAIN, admin, admin-secret", "2, SCRAM-SHA-256, scram-user, scram-secret", "2, SCRAM-SHA-512, scram-user, scram-secret"})
    void produceConsumeAndAdmin(int listener, String mechanism, String user, String password) throws Exception {
        TlsListenerTest.roundTrip(saslClient(listener, mechanism, user, password),
            "sasl-" + listener + "-" + mechanism.toLowerCase() + "-" + user);
    }

    @Test
    void scramCredentialsAreDescribedWithoutSecrets() throws Exception {
        try (Admin admin = Admin.create(plaintextAdmin())) {
            Map<String, UserScramCredentialsDescription> users = admin.describeUserScramCredentials(List.of("scram-user", "bob"))
                .all().get(20, TimeUnit.SECONDS);
            assertThat(users.get("scram-user").credentialInfos()).containsExactlyInAnyOrder(
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192));
            assertThat(users.get("bob").credentialInfos()).containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096));
            assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("nobody")).description("nobody").get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("weak",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 100), "weak-secret"))).all().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UnacceptableCredentialException.class);
        }
        assertThat(Files.readString(fixture.dataDir().resolve("scram-credentials"))).doesNotContain("scram-secret").doesNotContain("bob-secret");
    }

    @Test
    void aDeletedScramUserCanNoLongerAuthenticate() throws Exception {
        try (Admin admin = Admin.create(plaintextAdmin())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("carol",
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "carol-secret"))).all().get(20, TimeUnit.SECONDS);
        }
        assertAuthenticated(saslClient(1, "SCRAM-SHA-256", "carol", "carol-secret"));
        try (Admin admin = Admin.create(plaintextAdmin())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_256)))
                .all().get(20, TimeUnit.SECONDS);
        }
        assertRefused(saslClient(1, "SCRAM-SHA-256", "carol", "carol-secret"), SaslAuthenticationException.class);
    }

    @Test
    void refusalsAreKafkasErrorsAndTheBrokerKeepsServing() throws Exception {
        List<String> topicsBefore;
        try (Admin admin = Admin.create(plaintextAdmin())) {
            topicsBefore = List.copyOf(admin.listTopics().names().get(20, TimeUnit.SECONDS));
        }
        assertRefused(saslClient(1, "PLAIN", "alice", "wrong"), SaslAuthenticationException.class);
        assertRefused(saslClient(2, "PLAIN", "mallory", "alice-secret"), SaslAuthenticationException.class);
        assertRefused(saslClient(1, "SCRAM-SHA-256", "scram-user", "wrong"), SaslAuthenticationException.class);
        assertRefused(saslClient(2, "SCRAM-SHA-512", "nobody", "scram-secret"), SaslAuthenticationException.class);
        assertRefused(saslClient(1, "SCRAM-SHA-256", "bob", "bob-secret"), SaslAuthenticationException.class); // bob has only SHA-512
        assertRefused(saslClient(3, "SCRAM-SHA-256", "scram-user", "scram-secret"), UnsupportedSaslMechanismException.class);
        // a request other than ApiVersions before authenticating closes the connection
        try (RawKafkaConnection raw = RawKafkaConnection.open(port(1))) {
            raw.writeFrame(metadataRequestBytes());
            assertThat(raw.closedByBroker(Duration.ofSeconds(10))).isTrue();
        }
        Await.until("failed authentications counted", Duration.ofSeconds(10), () -> fixture.broker().metrics().scrape()
            .lines().anyMatch(line -> line.startsWith("tributary_authentications_total{result=\"failed\"}")
                && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 6));
        assertAuthenticated(saslClient(3, "PLAIN", "alice", "alice-secret"));
        try (Admin admin = Admin.create(plaintextAdmin())) {
            assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).as("nothing written")
                .containsExactlyInAnyOrderElementsOf(topicsBefore);
        }
    }

    private static byte[] metadataRequestBytes() {
        var request = new MetadataRequest.Builder(List.of(), false).build((short) 12);
        var buffer = request.serializeWithHeader(new org.apache.kafka.common.requests.RequestHeader(request.apiKey(), (short) 12, "early", 1));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static void assertAuthenticated(Properties client) throws Exception {
        try (Admin admin = Admin.create(client)) {
            assertThat(admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS)).isEqualTo(fixture.broker().identity().clusterId());
        }
    }

    private static void assertRefused(Properties client, Class<? extends Throwable> error) {
        try (Admin admin = Admin.create(client)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(error);
        }
    }
}
