package io.tributary.server.metrics;

import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * /metrics scraped over HTTP and parsed as Prometheus text while Apache Kafka's clients produce, consume
 * and commit: the traffic counters equal what was produced, partition offsets and group lag follow, and
 * request, connection, flush, recovery and JVM meters are there. /health answers live and ready.
 */
class MetricsEndpointTest {
    private static final String TOPIC = "metered";
    private static final String GROUP = "meter-readers";

    private final BrokerFixture fixture = new BrokerFixture(Map.of(
        ServerConfig.METRICS_LISTENER, "127.0.0.1:0",
        "log.flush.interval.messages", "1")); // every append fsyncs, so the flush timer has something to count
    private final String endpoint = "127.0.0.1:" + fixture.broker().metricsAddress().getPort();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void countersEqualWhatWasProducedAndConsumedAndLagFollowsCommits() throws Exception {
        fixture.broker().logs().createTopic(TOPIC, 3, Map.of());
        produce(50, "first");

        PrometheusText scraped = PrometheusText.scrape(endpoint);
        assertThat(scraped.value("tributary_topic_records_in_total", "topic", TOPIC)).isEqualTo(50);
        assertThat(scraped.value("tributary_topic_bytes_in_total", "topic", TOPIC)).isGreaterThan(50 * 10);
        assertThat(scraped.sum("tributary_partition_log_end_offset", "topic", TOPIC)).isEqualTo(50);
        assertThat(scraped.find("tributary_partition_log_end_offset", "topic", TOPIC)).hasSize(3);
        assertThat(scraped.sum("tributary_partition_log_start_offset", "topic", TOPIC)).isZero();
        assertThat(scraped.sum("tributary_partition_log_size_bytes", "topic", TOPIC))
            .isEqualTo(scraped.value("tributary_topic_bytes_in_total", "topic", TOPIC));
        assertThat(scraped.value("tributary_requests_seconds_count", "api", "Produce")).isGreaterThanOrEqualTo(1);
        assertThat(scraped.find("tributary_requests_seconds", "api", "Produce", "quantile", "0.99")).hasSize(1);
        assertThat(scraped.value("tributary_connections_accepted_total")).isGreaterThanOrEqualTo(1);
        assertThat(scraped.value("tributary_log_flush_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(scraped.value("tributary_log_recovery_seconds")).isGreaterThan(0);
        assertThat(scraped.value("tributary_fetch_delayed")).isZero();
        assertThat(scraped.find("jvm_memory_used_bytes")).isNotEmpty();
        // a single node is its own quorum and controller; nothing offline, nothing moving
        assertThat(scraped.value("tributary_controller_active")).isEqualTo(1);
        assertThat(scraped.value("tributary_quorum_applied_index")).isPositive();
        assertThat(scraped.value("tributary_cluster_offline_partitions")).isZero();
        assertThat(scraped.value("tributary_cluster_reassigning_partitions")).isZero();
        assertThat(scraped.find("jvm_gc_pause_seconds_count").size() + scraped.find("jvm_gc_memory_allocated_bytes_total").size())
            .isPositive();

        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1), new TopicPartition(TOPIC, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int[] read = {0};
            Await.until("50 records consumed", Duration.ofSeconds(30), () -> {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                read[0] += records.count();
                return read[0] >= 50;
            });
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            for (TopicPartition tp : partitions) {
                commits.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
            consumer.commitSync(commits);
            assertThat(scraped.find("tributary_connections_active")).hasSize(1);
        }

        scraped = PrometheusText.scrape(endpoint);
        assertThat(scraped.value("tributary_topic_records_out_total", "topic", TOPIC)).isEqualTo(50);
        assertThat(scraped.value("tributary_topic_bytes_out_total", "topic", TOPIC))
            .isEqualTo(scraped.value("tributary_topic_bytes_in_total", "topic", TOPIC));
        assertThat(scraped.find("tributary_group_lag", "group", GROUP, "topic", TOPIC)).hasSize(3);
        assertThat(scraped.sum("tributary_group_lag", "group", GROUP, "topic", TOPIC)).isZero();
        assertThat(scraped.sum("tributary_group_committed_offset", "group", GROUP, "topic", TOPIC)).isEqualTo(50);

        produce(2, "second");
        scraped = PrometheusText.scrape(endpoint);
        assertThat(scraped.value("tributary_topic_records_in_total", "topic", TOPIC)).isEqualTo(52);
        assertThat(scraped.sum("tributary_group_lag", "group", GROUP, "topic", TOPIC)).isEqualTo(2);

        fixture.broker().logs().deleteTopic(TOPIC);
        scraped = PrometheusText.scrape(endpoint);
        assertThat(scraped.find("tributary_topic_records_in_total", "topic", TOPIC)).isEmpty();
        assertThat(scraped.find("tributary_partition_log_end_offset", "topic", TOPIC)).isEmpty();
    }

    @Test
    void healthAnswersLiveAndReadyAndUnknownPathsAndMethodsAreRefused() throws Exception {
        fixture.broker().groupsLoaded().get();
        HttpClient client = HttpClient.newHttpClient();
        assertThat(get(client, "/health")).isEqualTo("200 {\"live\":true,\"ready\":true}\n");
        assertThat(get(client, "/health/live")).isEqualTo("200 live\n");
        assertThat(get(client, "/health/ready")).isEqualTo("200 ready\n");
        assertThat(get(client, "/nothing")).startsWith("404 Not found: /nothing");
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/metrics"))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void aMetricsListenerThatIsNotHostAndPortIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> ServerConfig.of(Map.of(ServerConfig.METRICS_LISTENER, "nowhere")))
            .hasMessageContaining("metrics.listener").hasMessageContaining("nowhere").hasMessageContaining("host:port");
        assertThat(ServerConfig.of(Map.of(ServerConfig.METRICS_LISTENER, "")).metricsListener()).isNull();
        assertThat(ServerConfig.of(Map.of()).metricsListener()).isEqualTo(new ServerConfig.Listener("127.0.0.1", 9644));
    }

    private String get(HttpClient client, String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + path)).build(),
            HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private void produce(int count, String prefix) throws Exception {
        Properties props = fixture.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, prefix + "-" + i, "value-" + i)).get();
            }
        }
    }

    private KafkaConsumer<String, String> consumer() {
        Properties props = fixture.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
