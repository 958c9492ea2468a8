package io.tributary.server;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** ApiVersions and Metadata as Apache Kafka's AdminClient uses them. */
class MetadataIntegrationTest {
    BrokerFixture fixture = new BrokerFixture(Map.of("num.partitions", "3"));

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void adminSeesTheBrokerAsTheWholeCluster() throws Exception {
        try (Admin admin = fixture.admin()) {
            DescribeClusterResult cluster = admin.describeCluster();
            Collection<Node> nodes = cluster.nodes().get(20, TimeUnit.SECONDS);
            assertThat(nodes).singleElement().satisfies(node -> {
                assertThat(node.id()).isZero();
                assertThat(node.host()).isEqualTo("127.0.0.1");
                assertThat(node.port()).isEqualTo(fixture.port());
            });
            assertThat(cluster.clusterId().get(20, TimeUnit.SECONDS)).isEqualTo(fixture.broker().identity().clusterId()).hasSize(22);
            assertThat(cluster.controller().get(20, TimeUnit.SECONDS).id()).isZero();
        }
    }

    @Test
    void topicsCreatedInTheLogAreListedAndDescribedWithTheirIds() throws Exception {
        fixture.broker().logs().createTopic("orders", 4, Map.of());
        try (Admin admin = fixture.admin()) {
            assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).containsExactly("orders");
            TopicDescription description = admin.describeTopics(List.of("orders")).allTopicNames().get(20, TimeUnit.SECONDS).get("orders");
            assertThat(description.partitions()).hasSize(4);
            assertThat(description.partitions()).allSatisfy(p -> assertThat(p.leader().id()).isZero());
            assertThat(description.topicId().toString()).isNotEmpty();
            java.util.UUID ours = fixture.broker().logs().topic("orders").topicId();
            assertThat(description.topicId().getMostSignificantBits()).isEqualTo(ours.getMostSignificantBits());
            assertThat(description.topicId().getLeastSignificantBits()).isEqualTo(ours.getLeastSignificantBits());
        }
    }

    @Test
    void consumerOffsetsIsInternalAndATopicThatOnlyLooksInternalIsNot() throws Exception {
        fixture.broker().logs().createTopic("__mine", 1, Map.of());
        try (Admin admin = fixture.admin()) {
            assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).containsExactly("__mine");
            assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(20, TimeUnit.SECONDS))
                .as("no internal topic before a client looks for a coordinator").containsExactly("__mine");
            // __consumer_offsets comes with the first group coordinator look-up, as in Kafka
            assertThat(admin.listConsumerGroupOffsets("nobody").partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS)).isEmpty();
            assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(20, TimeUnit.SECONDS))
                .containsExactlyInAnyOrder("__mine", "__consumer_offsets");
            // __transaction_state comes with the first transaction coordinator look-up, and is internal too
            try {
                admin.describeTransactions(List.of("nobody")).all().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException expected) {
                assertThat(expected.getCause()).isInstanceOf(org.apache.kafka.common.errors.TransactionalIdNotFoundException.class);
            }
            assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(20, TimeUnit.SECONDS))
                .containsExactlyInAnyOrder("__mine", "__consumer_offsets", "__transaction_state");
            assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).containsExactly("__mine");
            Map<String, TopicDescription> described = admin.describeTopics(List.of("__consumer_offsets", "__mine"))
                .allTopicNames().get(20, TimeUnit.SECONDS);
            assertThat(described.get("__consumer_offsets").isInternal()).isTrue();
            assertThat(described.get("__consumer_offsets").partitions()).hasSize(50);
            assertThat(described.get("__mine").isInternal()).isFalse();
        }
    }
}
