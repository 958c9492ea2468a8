package io.tributary.clients.metadata;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.network.NetworkClient;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataTest {
    private static ClientConfig config(String bootstrap, Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(more);
        values.put("bootstrap.servers", bootstrap);
        return ClientConfig.parse(CommonClientConfigs.definition(), values);
    }

    @Test
    void findsTopicsLeadersAndIdsAndRefreshesOnGrowth() throws Exception {
        try (BrokerFixture broker = new BrokerFixture(Map.of("auto.create.topics.enable", "false"));
             Admin admin = broker.admin();
             NetworkClient network = new NetworkClient(config(broker.bootstrap(), Map.of()), "test-metadata");
             Metadata metadata = new Metadata(network, config(broker.bootstrap(), Map.of()), true)) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1))).all().get();
            Cluster cluster = metadata.awaitTopic("orders", Duration.ofSeconds(10));
            assertThat(cluster.isBootstrap()).isFalse();
            assertThat(cluster.partitionCount("orders")).isEqualTo(3);
            assertThat(cluster.leader(new TopicPartition("orders", 2)).port()).isEqualTo(broker.port());
            assertThat(cluster.topicId("orders")).isNotNull();
            assertThat(cluster.topicName(cluster.topicId("orders"))).isEqualTo("orders");
            org.apache.kafka.common.Uuid kafkaId = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders").topicId();
            assertThat(new java.util.UUID(kafkaId.getMostSignificantBits(), kafkaId.getLeastSignificantBits()))
                .isEqualTo(cluster.topicId("orders"));

            admin.createPartitions(Map.of("orders", org.apache.kafka.clients.admin.NewPartitions.increaseTo(5))).all().get();
            metadata.onPartitionError(new TopicPartition("orders", 4), io.tributary.protocol.ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            io.tributary.server.Await.until("metadata sees 5 partitions", Duration.ofSeconds(10),
                () -> metadata.cluster().partitionCount("orders") == 5);

            // Auto-creation is off on this broker: a missing topic times out, and the message names it.
            assertThatThrownBy(() -> metadata.awaitTopic("missing", Duration.ofMillis(500)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Topic missing not present in metadata after 500 ms")
                .hasMessageContaining("UNKNOWN_TOPIC_OR_PARTITION");
        }
    }

    @Test
    void unreachableBootstrapTimesOutNamingTheAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ClientConfig config = config("127.0.0.1:" + port, Map.of());
        try (NetworkClient network = new NetworkClient(config, "test-unreachable");
             Metadata metadata = new Metadata(network, config, true)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> metadata.awaitTopic("t", Duration.ofMillis(800)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("Connection refused");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> metadata.awaitUpdate(Duration.ofMillis(300)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Connection refused");
        }
    }
}
