package io.tributary.clients.producer;

import io.tributary.clients.config.ConfigException;
import io.tributary.clients.errors.RecordTooLargeException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.serialization.ByteArraySerializer;
import io.tributary.clients.serialization.StringSerializer;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input fails at once or after max.block.ms, with messages that name the value and the limit. */
class ProducerBadInputTest {
    private static Map<String, Object> config(String bootstrap, Object... keyValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    @Test
    void invalidConfigsNameKeyValueAndRange() {
        assertThatThrownBy(() -> new TributaryProducer<>(config("a:1", "linger.ms", "-5"), new StringSerializer(), new StringSerializer()))
            .isInstanceOf(ConfigException.class)
            .hasMessage("Invalid value -5 for configuration linger.ms: a whole number in [0, 9223372036854775807]");
        assertThatThrownBy(() -> new TributaryProducer<>(config("a:1", "compression.type", "brotli"), new StringSerializer(), new StringSerializer()))
            .hasMessage("Invalid value brotli for configuration compression.type: one of none, gzip, snappy, lz4, zstd");
        assertThatThrownBy(() -> new TributaryProducer<>(config("a:1", "acks", "2"), new StringSerializer(), new StringSerializer()))
            .hasMessage("Invalid value 2 for configuration acks: one of all, -1, 0, 1");
        assertThatThrownBy(() -> new TributaryProducer<>(config("a:1", "compression.zstd.level", 23), new StringSerializer(), new StringSerializer()))
            .hasMessage("Invalid value 23 for configuration compression.zstd.level: a whole number in [-131072, 22]");
        assertThatThrownBy(() -> new TributaryProducer<>(config("a:1", "delivery.timeout.ms", 1000), new StringSerializer(), new StringSerializer()))
            .hasMessageContaining("delivery.timeout.ms").hasMessageContaining("1000").hasMessageContaining("30005");
        assertThatThrownBy(() -> new TributaryProducer<>(config("a:1", "enable.idempotence", true, "acks", "1"), new StringSerializer(), new StringSerializer()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("acks=1");
        assertThatThrownBy(() -> new TributaryProducer<>(config("a:1", "transactional.id", "tx", "enable.idempotence", false),
            new StringSerializer(), new StringSerializer()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("enable.idempotence=false").hasMessageContaining("transactional.id=tx");
        assertThatThrownBy(() -> new TributaryProducer<>(config("a:1", "transactional.id", "tx", "acks", "1"),
            new StringSerializer(), new StringSerializer()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("transactional.id=tx").hasMessageContaining("acks=1");
        assertThatThrownBy(() -> new TributaryProducer<>(config("a:1")))
            .hasMessageContaining("key.serializer");
        assertThatThrownBy(() -> new TributaryProducer<>(config("a:1", "key.serializer", "java.lang.String")))
            .hasMessage("Invalid value java.lang.String for configuration key.serializer: a class implementing "
                + "io.tributary.clients.serialization.Serializer");
    }

    @Test
    void idempotenceIsTurnedOffQuietlyWhenOnlyImpliedAndOtherwiseOn() {
        try (var plain = new TributaryProducer<>(config("127.0.0.1:1", "acks", "1"), new StringSerializer(), new StringSerializer());
             var idempotent = new TributaryProducer<>(config("127.0.0.1:1"), new StringSerializer(), new StringSerializer())) {
            assertThat(plain.isIdempotent()).isFalse();
            assertThat(idempotent.isIdempotent()).isTrue();
        }
    }

    @Test
    void tooLargeRecordsFailAtOnceAndMissingTopicsAfterMaxBlock() {
        try (BrokerFixture broker = new BrokerFixture(Map.of("auto.create.topics.enable", "false"));
             var admin = broker.admin();
             TributaryProducer<byte[], byte[]> producer = new TributaryProducer<>(config(broker.bootstrap(),
                 "max.request.size", 10_000, "max.block.ms", 700), new ByteArraySerializer(), new ByteArraySerializer())) {
            admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic("small", 1, (short) 1))).all().get();
            long start = System.nanoTime();
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("small", null, new byte[20_000])))
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("max.request.size (10000)")
                .hasMessageContaining("bytes when serialized");
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("no-such-topic", null, new byte[10])))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Topic no-such-topic not present in metadata after 700 ms")
                .hasMessageContaining("UNKNOWN_TOPIC_OR_PARTITION");
            assertThat(System.nanoTime() - start).isBetween(600_000_000L, 10_000_000_000L);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("small", 5, null, new byte[10])))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Partition 5 of topic small");
            // The producer still works after refusing bad records.
            assertThat(producer.send(new ProducerRecord<>("small", null, new byte[10])).get().offset()).isEqualTo(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unreachableBootstrapNamesTheAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (TributaryProducer<byte[], byte[]> producer = new TributaryProducer<>(config("127.0.0.1:" + port, "max.block.ms", 500),
            new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("t", null, new byte[1])))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("Connection refused");
        }
    }
}
