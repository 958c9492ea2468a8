package io.tributary.server.cluster;

import io.tributary.log.TopicMetadata;
import io.tributary.metadata.image.TopicImage;
import io.tributary.server.BrokerFixture;
import io.tributary.server.metadata.InconsistentClusterIdException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Upgrade from a single broker without a metadata quorum: its topics are on disk (topic-metadata/ and partition
 * directories) but there is no {@code __cluster_metadata}. The first start with the quorum registers them under their
 * own ids, with this broker as the replica, and every record stays readable.
 */
@org.junit.jupiter.api.Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterUpgradeTest {
    @Test
    void topicsOnDiskFromBeforeTheQuorumAreRegisteredUnderTheirIdsWithTheirData() throws Exception {
        try (BrokerFixture fixture = new BrokerFixture(Map.of("num.partitions", "2"))) {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(fixture))) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("legacy", i % 2, null, "value-" + i)).get(20, TimeUnit.SECONDS);
                }
            }
            TopicMetadata before = fixture.broker().logs().topic("legacy");
            fixture.broker().close();
            // what a data directory looked like before the quorum existed
            deleteRecursively(fixture.dataDir().resolve("__cluster_metadata"));

            fixture.start();
            TopicImage registered = fixture.broker().cluster().image().topic("legacy");
            assertThat(registered).isNotNull();
            assertThat(registered.topicId()).isEqualTo(before.topicId());
            assertThat(registered.partitions()).hasSize(before.partitionCount());
            registered.partitions().forEach(p -> assertThat(p.replicas()).containsExactly(fixture.broker().identity().nodeId()));
            try (Admin admin = fixture.admin()) {
                TopicDescription described = admin.describeTopics(List.of("legacy")).allTopicNames()
                    .get(20, TimeUnit.SECONDS).get("legacy");
                assertThat(described.topicId().toString()).isEqualTo(toKafka(before.topicId()));
            }
            assertThat(readAll(fixture, before.partitionCount())).hasSize(100);
        }
    }

    @Test
    void metaPropertiesWithoutAConfirmedIdTakeTheQuorumsAndAnotherClustersConfirmedIdIsRefused() throws Exception {
        try (BrokerFixture fixture = new BrokerFixture()) {
            String id = fixture.broker().identity().clusterId();
            assertThat(fixture.broker().cluster().image().clusterId()).isEqualTo(id);
            Path meta = fixture.dataDir().resolve("meta.properties");
            assertThat(Files.readString(meta)).contains("cluster.id=" + id + "\n", "cluster.id.confirmed=true\n");
            fixture.broker().close();

            // as written before the quorum agreed ids: the quorum's (its own) is confirmed
            Files.writeString(meta, "version=1\ncluster.id=" + id + "\nnode.id=0\n");
            fixture.start();
            assertThat(fixture.broker().identity().confirmed()).isTrue();
            assertThat(Files.readString(meta)).contains("cluster.id=" + id + "\n", "cluster.id.confirmed=true\n");
            fixture.broker().close();

            // an id the quorum never confirmed (a node that generated its own before joining) gives way to the quorum's
            Files.writeString(meta, "version=1\ncluster.id=freshly-generated-idxx\nnode.id=0\n");
            fixture.start();
            assertThat(fixture.broker().identity().clusterId()).isEqualTo(id);
            try (Admin admin = fixture.admin()) {
                assertThat(admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS)).isEqualTo(id);
            }
            assertThat(Files.readString(meta)).contains("cluster.id=" + id + "\n", "cluster.id.confirmed=true\n");
            fixture.broker().close();

            // another cluster's data: the broker refuses to start, naming both ids and the directory, and leaves it be
            String other = "version=1\ncluster.id=another-clusters-idxx\nnode.id=0\ncluster.id.confirmed=true\n";
            Files.writeString(meta, other);
            assertThatThrownBy(fixture::start).isInstanceOfSatisfying(InconsistentClusterIdException.class, e -> {
                assertThat(e.localClusterId()).isEqualTo("another-clusters-idxx");
                assertThat(e.quorumClusterId()).isEqualTo(id);
                assertThat(e.getMessage()).contains(fixture.dataDir().toString());
            });
            assertThat(Files.readString(meta)).isEqualTo(other);
        }
    }

    private static String toKafka(java.util.UUID id) {
        return new org.apache.kafka.common.Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()).toString();
    }

    private static Properties producerProps(BrokerFixture fixture) {
        Properties props = fixture.clientProperties();
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        return props;
    }

    private static List<String> readAll(BrokerFixture fixture, int partitions) {
        Properties props = fixture.clientProperties();
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition("legacy", p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < 100 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
