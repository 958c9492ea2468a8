package io.tributary.server.security;

import io.netty.handler.ssl.OpenSsl;
import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SSL listeners against Kafka's own clients over real sockets: produce, consume (the fetch path's chunked reads through
 * the TLS handler) and admin with both engines, key stores as PKCS12 files and inline PEM, client certificates
 * requested and required, and the refusals: no client certificate where one is required, an untrusted one, a
 * plaintext client on the TLS port, garbage in the handshake. Each refusal leaves the broker serving others and writes
 * nothing. Certificates are made by {@link TestCertificates} in a temporary directory.
 */
class TlsListenerTest {
    private static final int RECORDS = 120;
    private static final int VALUE_BYTES = 3000; // 360 kB in all: a fetch answer of many TLS records

    private static Path dir;
    private static TestCertificates.Identity authority;
    private static TestCertificates.Identity server;
    private static Path serverKeyStore;
    private static Path trustStore;
    private static Path aliceKeyStore;
    private static Path strangerKeyStore;

    @BeforeAll
    static void certificates() throws IOException {
        dir = Files.createTempDirectory("tributary-tls");
        authority = TestCertificates.authority("Tributary Test CA");
        server = TestCertificates.server(authority);
        serverKeyStore = server.writeKeyStore(dir, "broker");
        trustStore = TestCertificates.writeTrustStore(dir, "trust", authority);
        aliceKeyStore = TestCertificates.client(authority, "CN=alice,OU=Clients,O=Tributary Tests").writeKeyStore(dir, "alice");
        TestCertificates.Identity otherAuthority = TestCertificates.authority("Somebody Else's CA");
        strangerKeyStore = TestCertificates.client(otherAuthority, "CN=mallory").writeKeyStore(dir, "mallory");
    }

    @AfterAll
    static void removeCertificates() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** A broker with a PLAINTEXT and an SSL listener, key store from the PKCS12 file. */
    private static Map<String, String> brokerSettings(String engine, String clientAuth) {
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0");
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", serverKeyStore.toString());
        settings.put("ssl.keystore.password", TestCertificates.PASSWORD);
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", trustStore.toString());
        settings.put("ssl.truststore.password", TestCertificates.PASSWORD);
        settings.put("ssl.client.auth", clientAuth);
        settings.put("ssl.engine", engine);
        return settings;
    }

    private static int sslPort(BrokerFixture fixture) {
        return fixture.broker().boundAddresses().get(1).getPort();
    }

    private static Properties sslClient(int port, Path keyStore) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore.toString());
        properties.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        if (keyStore != null) {
            properties.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
            properties.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keyStore.toString());
            properties.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        }
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return properties;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void produceConsumeAndAdminOverTls(String engine) throws Exception {
        if (engine.equals("openssl")) {
            assertThat(OpenSsl.isAvailable()).as("netty-tcnative loads (a dependency of the server)").isTrue();
        }
        try (BrokerFixture fixture = new BrokerFixture(brokerSettings(engine, "none"))) {
            roundTrip(sslClient(sslPort(fixture), null), "tls-" + engine);
        }
    }

    @Test
    void clientCertificatesRequiredAndPresented() throws Exception {
        try (BrokerFixture fixture = new BrokerFixture(brokerSettings("auto", "required"))) {
            roundTrip(sslClient(sslPort(fixture), aliceKeyStore), "tls-mutual");
        }
    }

    @Test
    void aPemKeyStoreInline() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "SSL://127.0.0.1:0");
        settings.put("ssl.keystore.type", "PEM");
        settings.put("ssl.keystore.certificate.chain", server.certificateChainPem());
        settings.put("ssl.keystore.key", server.privateKeyPem());
        settings.put("ssl.truststore.type", "PEM");
        settings.put("ssl.truststore.certificates", TestCertificates.pem(authority.certificate()));
        settings.put("ssl.client.auth", "requested");
        try (BrokerFixture fixture = new BrokerFixture(settings)) {
            int port = fixture.broker().boundAddresses().get(0).getPort();
            try (Admin admin = Admin.create(sslClient(port, aliceKeyStore))) {
                assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).extracting(Node::port).containsExactly(port);
            }
            try (Admin admin = Admin.create(sslClient(port, null))) {
                assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).extracting(Node::port).containsExactly(port);
            }
        }
    }

    @Test
    void aPemKeyStoreFileUnderAListenerPrefix() throws Exception {
        Path pem = TestCertificates.writeText(dir, "broker.pem", server.privateKeyPem() + server.certificateChainPem());
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "SECURE://127.0.0.1:0");
        settings.put(ServerConfig.LISTENER_SECURITY_PROTOCOL_MAP, "SECURE:SSL");
        settings.put("listener.name.secure.ssl.keystore.type", "PEM");
        settings.put("listener.name.secure.ssl.keystore.location", pem.toString());
        try (BrokerFixture fixture = new BrokerFixture(settings)) {
            int port = fixture.broker().boundAddresses().get(0).getPort();
            try (Admin admin = Admin.create(sslClient(port, null))) {
                assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).extracting(Node::port).containsExactly(port);
            }
        }
    }

    @Test
    void refusalsLeaveTheBrokerServingAndWriteNothing() throws Exception {
        try (BrokerFixture fixture = new BrokerFixture(brokerSettings("auto", "required"))) {
            int port = sslPort(fixture);
            // no client certificate where one is required
            assertRefusedWithSslError(sslClient(port, null));
            // a certificate signed by a CA the broker does not trust
            assertRefusedWithSslError(sslClient(port, strangerKeyStore));
            // a plaintext Kafka request on the TLS port
            assertClosedAfterSending(port, new byte[] {0, 0, 0, 14, 0, 18, 0, 3, 0, 0, 0, 1, 0, 4, 't', 'e', 's', 't'});
            // a TLS handshake record full of garbage
            byte[] garbage = new byte[600];
            new Random(15).nextBytes(garbage);
            garbage[0] = 0x16;
            garbage[1] = 0x03;
            garbage[2] = 0x03;
            garbage[3] = 0x02;
            garbage[4] = 0x00;
            assertClosedAfterSending(port, garbage);

            Await.until("the refused handshakes counted", Duration.ofSeconds(10), () -> tlsHandshakeCloses(fixture) >= 4);
            try (Admin admin = Admin.create(sslClient(port, aliceKeyStore))) {
                assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).as("nothing was created").isEmpty();
            }
            roundTrip(sslClient(port, aliceKeyStore), "after-refusals");
        }
    }

    private static double tlsHandshakeCloses(BrokerFixture fixture) {
        for (String line : fixture.broker().metrics().scrape().split("\n")) {
            if (line.startsWith("tributary_connections_closed_total{reason=\"tls\"}")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static void assertRefusedWithSslError(Properties client) {
        try (Admin admin = Admin.create(client)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    /** Sends {@code bytes} on a plain socket and expects the broker to close it (end of stream or reset) within 10 s. */
    private static void assertClosedAfterSending(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1024];
            int total = 0;
            try {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    total += read;
                    assertThat(total).as("only a TLS alert comes back before the close").isLessThan(64 * 1024);
                }
            } catch (SocketException reset) {
                // a reset is a close too
            }
        }
    }

    /** Creates {@code topic}, produces records larger in all than many TLS records, consumes them back, compares. */
    static void roundTrip(Properties client, String topic) throws Exception {
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
        List<byte[]> sent = new ArrayList<>();
        Random random = new Random(topic.hashCode());
        Properties producerProperties = new Properties();
        producerProperties.putAll(client);
        producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProperties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties)) {
            for (int i = 0; i < RECORDS; i++) {
                byte[] value = new byte[VALUE_BYTES];
                random.nextBytes(value);
                sent.add(value);
                producer.send(new ProducerRecord<>(topic, "key-" + i, value));
            }
            producer.flush();
        }
        Properties consumerProperties = new Properties();
        consumerProperties.putAll(client);
        consumerProperties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProperties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-group");
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < RECORDS && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
            consumer.commitSync(Duration.ofSeconds(20));
            assertThat(consumer.committed(java.util.Set.of(new TopicPartition(topic, 0)), Duration.ofSeconds(20))
                .get(new TopicPartition(topic, 0)).offset()).isEqualTo(RECORDS);
        }
        assertThat(received).hasSize(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            assertThat(received.get(i).key()).isEqualTo("key-" + i);
            assertThat(received.get(i).value()).as("value %d", i).isEqualTo(sent.get(i));
        }
    }
}
