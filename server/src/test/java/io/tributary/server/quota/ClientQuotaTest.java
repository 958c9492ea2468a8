package io.tributary.server.quota;

import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client quotas against Kafka's own clients: quotas set and described with Admin.alterClientQuotas /
 * describeClientQuotas (what kafka-configs --entity-type clients / users sends), Kafka's entity resolution order, and a
 * producer over its producer_byte_rate slowed to near the quota and told so (throttle time in its metrics) while an
 * unthrottled producer on the same broker is not.
 */
class ClientQuotaTest {
    private static final int QUOTA = 200 * 1024;
    private static BrokerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = new HashMap<>();
        // A short window (2-3 s) so the first burst and the steady state fit in a short test; Kafka's default is 11 x 1 s.
        settings.put("quota.window.num", "3");
        settings.put("quota.window.size.seconds", "1");
        fixture = new BrokerFixture(settings);
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createTopics(List.of(new NewTopic("quota-topic", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Properties adminProperties() {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return properties;
    }

    private static ClientQuotaEntity entity(String type, String name) {
        Map<String, String> parts = new HashMap<>();
        parts.put(type, name);
        return new ClientQuotaEntity(parts);
    }

    @Test
    void quotasAreAlteredAndDescribedAsKafkaConfigsDoes() throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            ClientQuotaEntity userAndClient = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "alice", ClientQuotaEntity.CLIENT_ID, "app"));
            ClientQuotaEntity defaultUser = entity(ClientQuotaEntity.USER, null);
            admin.alterClientQuotas(List.of(
                new ClientQuotaAlteration(userAndClient, List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", 2048.0),
                    new ClientQuotaAlteration.Op("request_percentage", 50.0))),
                new ClientQuotaAlteration(defaultUser, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 4096.0)))))
                .all().get(20, TimeUnit.SECONDS);
            Map<ClientQuotaEntity, Map<String, Double>> alice = admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(
                ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "alice"),
                ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.CLIENT_ID, "app")))).entities().get(20, TimeUnit.SECONDS);
            assertThat(alice).isEqualTo(Map.of(userAndClient, Map.of("consumer_byte_rate", 2048.0, "request_percentage", 50.0)));
            Map<ClientQuotaEntity, Map<String, Double>> defaults = admin.describeClientQuotas(ClientQuotaFilter.contains(List.of(
                ClientQuotaFilterComponent.ofDefaultEntity(ClientQuotaEntity.USER)))).entities().get(20, TimeUnit.SECONDS);
            assertThat(defaults).isEqualTo(Map.of(defaultUser, Map.of("producer_byte_rate", 4096.0)));
            assertThatThrownBy(() -> admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity(ClientQuotaEntity.CLIENT_ID, "x"),
                List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1.5))))).all().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidRequestException.class);
            // removal
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(userAndClient, List.of(
                new ClientQuotaAlteration.Op("consumer_byte_rate", null), new ClientQuotaAlteration.Op("request_percentage", null))),
                new ClientQuotaAlteration(defaultUser, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", null)))))
                .all().get(20, TimeUnit.SECONDS);
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get(20, TimeUnit.SECONDS)
                .keySet()).doesNotContain(userAndClient, defaultUser);
        }
    }

    @Test
    void aProducerOverItsQuotaIsSlowedToNearItWhileAnotherIsNot() throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity(ClientQuotaEntity.CLIENT_ID, "slow-producer"),
                List.of(new ClientQuotaAlteration.Op("producer_byte_rate", (double) QUOTA))))).all().get(20, TimeUnit.SECONDS);
        }
        Sent slow = new Sent();
        Sent fast = new Sent();
        try (KafkaProducer<byte[], byte[]> slowProducer = producer("slow-producer");
             KafkaProducer<byte[], byte[]> fastProducer = producer("fast-producer")) {
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(3); // after the first burst has been paid back
            long end = start + TimeUnit.SECONDS.toNanos(8);
            byte[] value = new byte[1024];
            Thread fastThread = new Thread(() -> send(fastProducer, value, fast, measureFrom, end), "fast-producer");
            fastThread.start();
            send(slowProducer, value, slow, measureFrom, end);
            fastThread.join(TimeUnit.SECONDS.toMillis(30));
            double seconds = (end - measureFrom) / 1e9;
            double slowRate = slow.measured.get() / seconds;
            double fastRate = fast.measured.get() / seconds;
            assertThat(slowRate).as("throttled producer's rate vs quota %d B/s", QUOTA).isBetween(QUOTA * 0.6, QUOTA * 1.4);
            assertThat(fastRate).as("unthrottled producer's rate").isGreaterThan(QUOTA * 3.0);
            assertThat(metric(slowProducer, "produce-throttle-time-max")).isGreaterThan(0);
            assertThat(metric(fastProducer, "produce-throttle-time-max")).isZero();
        }
    }

    /** Bytes acknowledged within the measured interval. */
    private static final class Sent {
        final AtomicLong measured = new AtomicLong();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, byte[] value, Sent sent, long measureFrom, long end) {
        while (System.nanoTime() < end) {
            producer.send(new ProducerRecord<>("quota-topic", value), (metadata, failure) -> {
                long now = System.nanoTime();
                if (failure == null && now >= measureFrom && now < end) {
                    sent.measured.addAndGet(value.length);
                }
            });
        }
        producer.flush();
    }

    private static KafkaProducer<byte[], byte[]> producer(String clientId) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, "16384");
        // A small buffer: send() blocks once it is full, so what is sent follows what the broker lets through.
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, "262144");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static double metric(KafkaProducer<?, ?> producer, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics")) {
                Object value = e.getValue().metricValue();
                return value instanceof Double d && !d.isNaN() ? d : 0;
            }
        }
        throw new AssertionError("no producer metric " + name);
    }

    @Test
    void resolutionFollowsKafkasOrder(@TempDir Path dir) {
        FileQuotaStore store = FileQuotaStore.open(dir);
        ClientQuotas quotas = new ClientQuotas(new QuotaSettings(11, 1000), store, System::currentTimeMillis);
        store.apply(List.of(new QuotaStore.Change(new QuotaEntity(null, QuotaEntity.Component.DEFAULT), "producer_byte_rate", 8.0),
            new QuotaStore.Change(QuotaEntity.of(null, "c"), "producer_byte_rate", 7.0),
            new QuotaStore.Change(new QuotaEntity(QuotaEntity.Component.DEFAULT, null), "producer_byte_rate", 6.0),
            new QuotaStore.Change(QuotaEntity.of("u", null), "producer_byte_rate", 3.0),
            new QuotaStore.Change(QuotaEntity.of("u", "c"), "producer_byte_rate", 1.0)));
        assertThat(quotas.quotaOf(QuotaType.PRODUCE, "u", "c")).isEqualTo(1.0);
        assertThat(quotas.quotaOf(QuotaType.PRODUCE, "u", "other")).isEqualTo(3.0);
        assertThat(quotas.quotaOf(QuotaType.PRODUCE, "v", "c")).isEqualTo(6.0); // the default user beats a client id
        assertThat(quotas.quotaOf(QuotaType.FETCH, "v", "c")).isNull();
        store.apply(List.of(new QuotaStore.Change(new QuotaEntity(QuotaEntity.Component.DEFAULT, null), "producer_byte_rate", null)));
        assertThat(quotas.quotaOf(QuotaType.PRODUCE, "v", "c")).isEqualTo(7.0);
        assertThat(quotas.quotaOf(QuotaType.PRODUCE, "v", "d")).isEqualTo(8.0);
        assertThat(FileQuotaStore.open(dir).all()).isEqualTo(store.all());
    }
}
