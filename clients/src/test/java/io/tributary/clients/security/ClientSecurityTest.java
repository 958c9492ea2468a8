package io.tributary.clients.security;

import io.tributary.clients.admin.CommittedOffset;
import io.tributary.clients.admin.NewTopic;
import io.tributary.clients.admin.TopicListing;
import io.tributary.clients.admin.TributaryAdmin;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.errors.AuthenticationException;
import io.tributary.clients.errors.BrokerError;
import io.tributary.clients.producer.ProducerRecord;
import io.tributary.clients.producer.TributaryProducer;
import io.tributary.clients.security.sasl.OAuthBearerClient;
import io.tributary.clients.serialization.StringDeserializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.security.TestCertificates;
import io.tributary.server.security.authz.AuthorizerSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tributary's own producer, consumer and admin over every security protocol of a real broker (in-process, with the
 * standard authorizer): TLS with PKCS12, JKS and PEM trust stores (file and inline), SASL PLAIN, SCRAM-SHA-256/512 and
 * OAUTHBEARER (Kafka's unsecured token, and a token from a file) over SASL_PLAINTEXT and SASL_SSL; refusals (a wrong
 * password, an unknown CA) as {@link AuthenticationException} naming the mechanism and the broker's message; ACL
 * denials as Kafka's error codes; and KIP-368 re-authentication on a broker with a short session lifetime.
 */
class ClientSecurityTest {
    private static final String PLAIN_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";
    private static final int PLAINTEXT = 0;
    private static final int SSL = 1;
    private static final int SASL_PLAINTEXT = 2;
    private static final int SASL_SSL = 3;
    /** SSL with ssl.client.auth=required: the principal is the client certificate's subject. */
    private static final int MTLS = 4;
    private static final String MTLS_DN = "CN=mtls-client,OU=Clients,O=Tributary Tests";

    private static Path dir;
    private static TestCertificates.Identity authority;
    private static Path trustStore;
    private static BrokerFixture fixture;
    private static BrokerFixture reauthFixture;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tributary-client-security");
        authority = TestCertificates.authority("Tributary Client Test CA");
        Path serverKeyStore = TestCertificates.server(authority).writeKeyStore(dir, "broker");
        trustStore = TestCertificates.writeTrustStore(dir, "trust", authority);
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0,MTLS://127.0.0.1:0");
        settings.put(ServerConfig.LISTENER_SECURITY_PROTOCOL_MAP,
            "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL");
        settings.put("listener.name.mtls.ssl.client.auth", "required");
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", trustStore.toString());
        settings.put("ssl.truststore.password", TestCertificates.PASSWORD);
        settings.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER");
        settings.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_JAAS);
        settings.put("listener.name.sasl_ssl.plain.sasl.jaas.config", PLAIN_JAAS);
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", serverKeyStore.toString());
        settings.put("ssl.keystore.password", TestCertificates.PASSWORD);
        settings.put("authorizer.class.name", AuthorizerSettings.KAFKA_STANDARD_AUTHORIZER);
        // The PLAINTEXT and SSL listeners (no client certificate) authenticate nobody: ANONYMOUS sets the test up.
        settings.put("super.users", "User:admin;User:ANONYMOUS");
        settings.put("connection.failed.authentication.delay.ms", "50");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("offsets.topic.num.partitions", "1");
        fixture = new BrokerFixture(settings);
        try (Admin admin = Admin.create(kafkaAdmin())) {
            admin.alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion("scram-user", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "scram-secret"),
                new UserScramCredentialUpsertion("scram-user", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "scram-secret"),
                new UserScramCredentialUpsertion("bob", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "bob-secret")))
                .all().get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = new ArrayList<>();
            for (String user : List.of("alice", "scram-user", "oauth-user", MTLS_DN)) {
                acls.add(allow(user, ResourceType.TOPIC, "sec-", PatternType.PREFIXED, AclOperation.ALL));
                acls.add(allow(user, ResourceType.GROUP, "sec-", PatternType.PREFIXED, AclOperation.ALL));
            }
            acls.add(allow("bob", ResourceType.TOPIC, "sec-shared", PatternType.LITERAL, AclOperation.DESCRIBE));
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("sec-shared", 1, (short) 1),
                new org.apache.kafka.clients.admin.NewTopic("secret-payroll", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
            new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    @AfterAll
    static void stop() throws IOException {
        for (BrokerFixture f : new BrokerFixture[] {fixture, reauthFixture}) {
            if (f != null) {
                f.close();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static int port(BrokerFixture f, int listener) {
        return f.broker().boundAddresses().get(listener).getPort();
    }

    private static Properties kafkaAdmin() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", "127.0.0.1:" + port(fixture, PLAINTEXT));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return properties;
    }

    private static Map<String, Object> client(int listener, String host) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", host + ":" + port(fixture, listener));
        c.put("security.protocol", switch (listener) {
            case SSL, MTLS -> "SSL";
            case SASL_PLAINTEXT -> "SASL_PLAINTEXT";
            case SASL_SSL -> "SASL_SSL";
            default -> "PLAINTEXT";
        });
        if (listener == SSL || listener == SASL_SSL || listener == MTLS) {
            c.put("ssl.truststore.type", "PKCS12");
            c.put("ssl.truststore.location", trustStore.toString());
            c.put("ssl.truststore.password", TestCertificates.PASSWORD);
        }
        c.put("request.timeout.ms", 15_000);
        c.put("default.api.timeout.ms", 30_000);
        return c;
    }

    private static Map<String, Object> sasl(int listener, String mechanism, String user, String password) {
        Map<String, Object> c = client(listener, "127.0.0.1");
        c.put("sasl.mechanism", mechanism);
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
        c.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return c;
    }

    /** Creates a topic, produces, consumes in a group and commits, all with the client configuration {@code c}. */
    static void roundTrip(Map<String, Object> c, String topic) throws Exception {
        try (TributaryAdmin admin = TributaryAdmin.create(c)) {
            admin.await(admin.createTopic(NewTopic.of(topic, 2)));
            assertThat(admin.await(admin.listTopics())).extracting(TopicListing::name).contains(topic);
            Map<String, Object> p = new HashMap<>(c);
            p.put("max.block.ms", 30_000L);
            try (TributaryProducer<String, String> producer = new TributaryProducer<>(p, new StringSerializer(), new StringSerializer())) {
                List<CompletableFuture<?>> sent = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    sent.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
                }
                for (CompletableFuture<?> f : sent) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
            Map<String, Object> cc = new HashMap<>(c);
            cc.put("group.id", topic);
            cc.put("auto.offset.reset", "earliest");
            cc.put("enable.auto.commit", false);
            try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(cc, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                List<String> values = new ArrayList<>();
                Await.until("10 records of " + topic, Duration.ofSeconds(60), () -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                    return values.size() >= 10;
                });
                assertThat(values).containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
                consumer.commitSync(Duration.ofSeconds(30));
            }
            Map<TopicPartition, CommittedOffset> committed = admin.await(admin.listCommittedOffsets(topic));
            assertThat(committed.values().stream().mapToLong(CommittedOffset::offset).sum()).isEqualTo(10);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"SASL_PLAINTEXT, PLAIN, alice, alice-secret", "SASL_PLAINTEXT, SCRAM-SHA-256, scram-user, scram-secret",
        "SASL_PLAINTEXT, SCRAM-SHA-512, scram-user, scram-secret", "SASL_SSL, PLAIN, alice, alice-secret",
        "SASL_SSL, SCRAM-SHA-256, scram-user, scram-secret", "SASL_SSL, SCRAM-SHA-512, scram-user, scram-secret"})
    void producerConsumerAndAdminAuthenticateWithEachMechanism(String protocol, String mechanism, String user, String password)
            throws Exception {
        int listener = protocol.equals("SASL_SSL") ? SASL_SSL : SASL_PLAINTEXT;
        roundTrip(sasl(listener, mechanism, user, password), "sec-" + protocol.toLowerCase() + "-" + mechanism.toLowerCase());
    }

    @Test
    void oauthBearerWithKafkasUnsecuredTokenAndWithATokenFromAFile() throws Exception {
        Map<String, Object> unsecured = client(SASL_PLAINTEXT, "127.0.0.1");
        unsecured.put("sasl.mechanism", "OAUTHBEARER");
        unsecured.put("sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
            + " unsecuredLoginStringClaim_sub=\"oauth-user\";");
        roundTrip(unsecured, "sec-oauth-unsecured");

        Path tokenFile = dir.resolve("token.jwt");
        Files.writeString(tokenFile, OAuthBearerClient.unsecuredToken(Map.of("unsecuredLoginStringClaim_sub", "oauth-user"), System.currentTimeMillis()) + "\n");
        Map<String, Object> fromFile = client(SASL_SSL, "127.0.0.1");
        fromFile.put("sasl.mechanism", "OAUTHBEARER");
        fromFile.put("sasl.oauthbearer.token.endpoint.url", tokenFile.toUri().toString());
        roundTrip(fromFile, "sec-oauth-file");

        // a token for someone the ACLs do not know authenticates, but sees none of the topics
        Files.writeString(tokenFile, OAuthBearerClient.unsecuredToken(Map.of("unsecuredLoginStringClaim_sub", "stranger"), System.currentTimeMillis()));
        try (TributaryAdmin stranger = TributaryAdmin.create(fromFile)) {
            assertThat(stranger.await(stranger.listTopics())).isEmpty();
        }
        // an expired token is refused with the broker's reason
        Files.writeString(tokenFile, OAuthBearerClient.unsecuredToken(Map.of("unsecuredLoginStringClaim_sub", "oauth-user"), System.currentTimeMillis() - 7_200_000));
        try (TributaryAdmin expired = TributaryAdmin.create(fromFile)) {
            assertThatThrownBy(() -> expired.await(expired.listTopics()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("OAUTHBEARER")
                .hasMessageContaining("expired");
        }
    }

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({"PKCS12, 127.0.0.1", "JKS, localhost", "PEM, 127.0.0.1", "PEM-INLINE, localhost"})
    void tlsWithEachTrustStoreFormat(String format, String host) throws Exception {
        Map<String, Object> c = client(SSL, host);
        switch (format) {
            case "JKS" -> {
                KeyStore jks = KeyStore.getInstance("JKS");
                jks.load(null, null);
                jks.setCertificateEntry("ca", authority.certificate());
                Path file = dir.resolve("trust.jks");
                try (OutputStream out = Files.newOutputStream(file)) {
                    jks.store(out, "jks-password".toCharArray());
                }
                c.put("ssl.truststore.type", "JKS");
                c.put("ssl.truststore.location", file.toString());
                c.put("ssl.truststore.password", "jks-password");
            }
            case "PEM" -> {
                c.put("ssl.truststore.type", "PEM");
                c.put("ssl.truststore.location", TestCertificates.writeText(dir, "ca.pem", TestCertificates.pem(authority.certificate())).toString());
                c.remove("ssl.truststore.password");
            }
            case "PEM-INLINE" -> {
                c.put("ssl.truststore.type", "PEM");
                c.remove("ssl.truststore.location");
                c.remove("ssl.truststore.password");
                c.put("ssl.truststore.certificates", TestCertificates.pem(authority.certificate()));
            }
            default -> {
            }
        }
        roundTrip(c, "sec-tls-" + format.toLowerCase());
    }

    @ParameterizedTest
    @CsvSource({"PKCS12", "PEM"})
    void mutualTlsWithAClientCertificateFromEachKeyStoreFormat(String format) throws Exception {
        TestCertificates.Identity me = TestCertificates.client(authority, MTLS_DN);
        Map<String, Object> c = client(MTLS, "127.0.0.1");
        if (format.equals("PKCS12")) {
            c.put("ssl.keystore.type", "PKCS12");
            c.put("ssl.keystore.location", me.writeKeyStore(dir, "client").toString());
            c.put("ssl.keystore.password", TestCertificates.PASSWORD);
        } else {
            c.put("ssl.keystore.type", "PEM");
            c.put("ssl.keystore.certificate.chain", me.certificateChainPem());
            c.put("ssl.keystore.key", me.privateKeyPem());
        }
        roundTrip(c, "sec-mtls-" + format.toLowerCase());
        // without a certificate the listener refuses the handshake
        Map<String, Object> noCertificate = client(MTLS, "127.0.0.1");
        noCertificate.put("default.api.timeout.ms", 5_000);
        try (TributaryAdmin anonymous = TributaryAdmin.create(noCertificate)) {
            assertThatThrownBy(() -> anonymous.await(anonymous.listTopics()))
                .isInstanceOf(io.tributary.clients.errors.TributaryException.class);
        }
    }

    @Test
    void anUntrustedBrokerCertificateIsATlsAuthenticationFailure() {
        TestCertificates.Identity other = TestCertificates.authority("Some Other CA");
        Map<String, Object> c = client(SSL, "127.0.0.1");
        c.put("ssl.truststore.location", TestCertificates.writeTrustStore(dir, "other-trust", other).toString());
        try (TributaryAdmin admin = TributaryAdmin.create(c)) {
            assertThatThrownBy(() -> admin.await(admin.listTopics()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("TLS handshake with bootstrap server 127.0.0.1:" + port(fixture, SSL) + " failed")
                .satisfies(e -> assertThat(((AuthenticationException) e).mechanism()).isEqualTo("TLS"));
        }
        // a TLS client at a plaintext listener fails instead of hanging
        Map<String, Object> wrong = client(SSL, "127.0.0.1");
        wrong.put("bootstrap.servers", "127.0.0.1:" + port(fixture, PLAINTEXT));
        try (TributaryAdmin admin = TributaryAdmin.create(wrong)) {
            assertThatThrownBy(() -> admin.await(admin.listTopics())).isInstanceOf(io.tributary.clients.errors.TributaryException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithTheMechanismAndTheBrokersMessage() {
        for (String mechanism : List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")) {
            String user = mechanism.equals("PLAIN") ? "alice" : "scram-user";
            Map<String, Object> c = sasl(SASL_PLAINTEXT, mechanism, user, "wrong-password");
            try (TributaryAdmin admin = TributaryAdmin.create(c)) {
                assertThatThrownBy(() -> admin.await(admin.listTopics()))
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageStartingWith("SASL " + mechanism + " authentication of " + user + " to bootstrap server 127.0.0.1:")
                    .hasMessageContaining("Authentication failed")
                    .satisfies(e -> assertThat(((AuthenticationException) e).errorCode()).isEqualTo(ErrorCode.SASL_AUTHENTICATION_FAILED));
            }
            Map<String, Object> p = new HashMap<>(c);
            p.put("max.block.ms", 20_000L);
            try (TributaryProducer<String, String> producer = new TributaryProducer<>(p, new StringSerializer(), new StringSerializer())) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("sec-shared", "k", "v")).get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(e instanceof ExecutionException ? e.getCause() : e).isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining(mechanism));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("fails at once, not at max.block.ms")
                    .isLessThan(Duration.ofSeconds(15));
            }
            Map<String, Object> cc = new HashMap<>(c);
            cc.put("group.id", "sec-refused");
            try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(cc, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("sec-shared"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                Throwable thrown = null;
                while (thrown == null && System.nanoTime() < deadline) {
                    try {
                        consumer.poll(Duration.ofMillis(500));
                    } catch (AuthenticationException e) {
                        thrown = e;
                    }
                }
                assertThat(thrown).as("poll throws the refusal").isNotNull().hasMessageContaining(mechanism);
            }
        }
    }

    @Test
    void aclDenialsAreKafkasErrorsThroughOurClients() throws Exception {
        Map<String, Object> bob = sasl(SASL_SSL, "SCRAM-SHA-512", "bob", "bob-secret");
        try (TributaryAdmin admin = TributaryAdmin.create(bob)) {
            assertThat(admin.await(admin.listTopics())).extracting(TopicListing::name).containsExactly("sec-shared");
            assertThatThrownBy(() -> admin.await(admin.createTopic(NewTopic.of("sec-bob", 1))))
                .satisfies(e -> assertThat(((BrokerError) e).errorCode()).isEqualTo(ErrorCode.TOPIC_AUTHORIZATION_FAILED))
                .hasMessageContaining("TOPIC_AUTHORIZATION_FAILED");
            assertThatThrownBy(() -> admin.await(admin.describeTopic("secret-payroll")))
                .satisfies(e -> assertThat(((BrokerError) e).errorCode()).isEqualTo(ErrorCode.TOPIC_AUTHORIZATION_FAILED));
            assertThatThrownBy(() -> admin.await(admin.listCommittedOffsets("sec-anything")))
                .satisfies(e -> assertThat(((BrokerError) e).errorCode()).isEqualTo(ErrorCode.GROUP_AUTHORIZATION_FAILED));
        }
        Map<String, Object> p = new HashMap<>(bob);
        p.put("max.block.ms", 20_000L);
        try (TributaryProducer<String, String> producer = new TributaryProducer<>(p, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("sec-shared", "k", "v")).get(30, TimeUnit.SECONDS))
                .satisfies(e -> {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    assertThat(cause).isInstanceOf(BrokerError.class);
                    assertThat(((BrokerError) cause).errorCode()).isEqualTo(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
                });
        }
    }

    @Test
    void theClientReauthenticatesOnItsConnectionWhenTheBrokerLimitsTheSession() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "SASL_PLAINTEXT://127.0.0.1:0");
        settings.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_JAAS);
        settings.put("sasl.enabled.mechanisms", "PLAIN");
        settings.put("connections.max.reauth.ms", "1500");
        reauthFixture = new BrokerFixture(settings);
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", "127.0.0.1:" + port(reauthFixture, 0));
        c.put("security.protocol", "SASL_PLAINTEXT");
        c.put("sasl.mechanism", "PLAIN");
        c.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"alice-secret\";");
        c.put("max.block.ms", 30_000L);
        try (TributaryAdmin admin = TributaryAdmin.create(c)) {
            admin.await(admin.createTopic(NewTopic.of("reauth", 1)));
        }
        double before = metric(reauthFixture, "tributary_authentications_total{result=\"succeeded\"}");
        int sent = 0;
        try (TributaryProducer<String, String> producer = new TributaryProducer<>(c, new StringSerializer(), new StringSerializer())) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4_500);
            while (System.nanoTime() < end && sent < 5_000) {
                producer.send(new ProducerRecord<>("reauth", "k", "v" + sent)).get(20, TimeUnit.SECONDS);
                sent++;
                Thread.sleep(2); // pace the loop; each send is awaited, so this is not synchronisation
            }
        }
        assertThat(sent).isGreaterThan(10);
        assertThat(metric(reauthFixture, "tributary_connections_closed_total{reason=\"session_expired\"}")).isZero();
        // the first authentication of each connection, and at least two re-authentications over three lifetimes
        assertThat(metric(reauthFixture, "tributary_authentications_total{result=\"succeeded\"}") - before).isGreaterThanOrEqualTo(4);
    }

    private static double metric(BrokerFixture f, String prefix) {
        return f.broker().metrics().scrape().lines().filter(line -> line.startsWith(prefix))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void misconfigurationsAreRefusedAtConstructionNamingTheKey() {
        Map<String, Object> noJaas = client(SASL_PLAINTEXT, "127.0.0.1");
        noJaas.put("sasl.mechanism", "SCRAM-SHA-256");
        assertThatThrownBy(() -> TributaryAdmin.create(noJaas)).isInstanceOf(io.tributary.clients.config.ConfigException.class)
            .hasMessageContaining("sasl.jaas.config");
        Map<String, Object> gssapi = sasl(SASL_PLAINTEXT, "PLAIN", "alice", "alice-secret");
        gssapi.put("sasl.mechanism", "GSSAPI");
        assertThatThrownBy(() -> TributaryAdmin.create(gssapi)).hasMessageContaining("GSSAPI is not supported");
        Map<String, Object> missingStore = client(SSL, "127.0.0.1");
        missingStore.put("ssl.truststore.location", dir.resolve("missing.p12").toString());
        assertThatThrownBy(() -> TributaryAdmin.create(missingStore)).hasMessageContaining("Cannot read the trust store");
    }
}
