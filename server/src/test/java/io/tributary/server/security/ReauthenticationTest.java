package io.tributary.server.security;

import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import io.tributary.server.config.ServerConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KIP-368 re-authentication with {@code connections.max.reauth.ms}: Kafka's producer is told its session lifetime and
 * re-authenticates on the same connection while it keeps producing (no connection is closed for an expired session),
 * and a connection that does not re-authenticate is closed at its first request after the session ends.
 */
class ReauthenticationTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"admin\" password=\"admin-secret\" user_alice=\"alice-secret\";";
    private static final long LIFETIME_MS = 1500;
    private static BrokerFixture fixture;

    @BeforeAll
    static void start() {
        Map<String, String> settings = new HashMap<>();
        settings.put(ServerConfig.LISTENERS, "SASL_PLAINTEXT://127.0.0.1:0");
        settings.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS);
        settings.put("sasl.enabled.mechanisms", "PLAIN");
        settings.put("connections.max.reauth.ms", String.valueOf(LIFETIME_MS));
        fixture = new BrokerFixture(settings);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static int port() {
        return fixture.broker().boundAddresses().get(0).getPort();
    }

    private static double metric(String prefix) {
        return fixture.broker().metrics().scrape().lines().filter(line -> line.startsWith(prefix))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void kafkasProducerReauthenticatesOnItsConnection() throws Exception {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port());
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        properties.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"alice\" password=\"alice-secret\";");
        double successesBefore = metric("tributary_authentications_total{result=\"succeeded\"}");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIFETIME_MS * 3);
            int sent = 0;
            while (System.nanoTime() < end && sent < 10_000) {
                producer.send(new ProducerRecord<>("reauth", "k", "v" + sent)).get(20, TimeUnit.SECONDS);
                sent++;
                Thread.onSpinWait();
            }
        }
        assertThat(metric("tributary_connections_closed_total{reason=\"session_expired\"}")).isZero();
        // the first authentication of each connection, and at least two re-authentications over three lifetimes
        assertThat(metric("tributary_authentications_total{result=\"succeeded\"}") - successesBefore).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aConnectionThatDoesNotReauthenticateIsClosedAfterItsSession() {
        try (RawKafkaConnection raw = RawKafkaConnection.open(port())) {
            raw.send(new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism("PLAIN")), (short) 1);
            SaslAuthenticateResponse authenticated = raw.send(new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData()
                .setAuthBytes("\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8))), (short) 2);
            long at = System.nanoTime();
            assertThat(authenticated.error().code()).isZero();
            assertThat(authenticated.sessionLifetimeMs()).isEqualTo(LIFETIME_MS);
            raw.send(new MetadataRequest.Builder(List.of(), false), (short) 12); // within the session: answered
            // the next request after the session's end closes the connection
            io.tributary.server.Await.until("session over", Duration.ofSeconds(10),
                () -> System.nanoTime() - at > TimeUnit.MILLISECONDS.toNanos(LIFETIME_MS + 200));
            org.apache.kafka.common.requests.RequestHeader header = new org.apache.kafka.common.requests.RequestHeader(
                org.apache.kafka.common.protocol.ApiKeys.METADATA, (short) 12, "raw-test", 99);
            java.nio.ByteBuffer frame = new MetadataRequest.Builder(List.of(), false).build((short) 12).serializeWithHeader(header);
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            raw.writeFrame(bytes);
            assertThat(raw.closedByBroker(Duration.ofSeconds(10))).isTrue();
        }
        // counted when the broker's channel goes inactive, which can come a moment after the client saw the close
        io.tributary.server.Await.until("the close is counted as session_expired", Duration.ofSeconds(10),
            () -> metric("tributary_connections_closed_total{reason=\"session_expired\"}") >= 1);
    }
}
