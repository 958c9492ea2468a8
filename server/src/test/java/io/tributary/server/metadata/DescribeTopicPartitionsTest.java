package io.tributary.server.metadata;

import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import io.tributary.server.config.ServerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.TopicCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DescribeTopicPartitions (API 75) on one broker whose max.request.partition.size.limit is 4: through Kafka 4.3.1's
 * Admin.describeTopics (which uses API 75 when the broker advertises it and pages with its cursor; the broker's request
 * counter proves the API and the number of pages), Kafka's kafka-topics --describe, and through raw requests for what Admin does not send (the
 * all-topics listing, bad cursors, a negative limit, an illegal name).
 */
@Timeout(120)
class DescribeTopicPartitionsTest {
    private static final int CAP = 4;
    private static final short V0 = 0;
    private static BrokerFixture fixture;
    private static Map<String, Uuid> ids;

    @BeforeAll
    static void start() throws Exception {
        fixture = new BrokerFixture(Map.of(ServerConfig.MAX_REQUEST_PARTITION_SIZE_LIMIT, String.valueOf(CAP),
            ServerConfig.AUTO_CREATE_TOPICS_ENABLE, "false"));
        try (Admin admin = fixture.admin()) {
            var created = admin.createTopics(List.of(new NewTopic("alpha", 7, (short) 1), new NewTopic("beta", 5, (short) 1),
                new NewTopic("gamma", 1, (short) 1)));
            created.all().get(30, TimeUnit.SECONDS);
            ids = Map.of("alpha", created.topicId("alpha").get(), "beta", created.topicId("beta").get(),
                "gamma", created.topicId("gamma").get());
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** DescribeTopicPartitions requests the broker has answered so far. */
    private static double answered() {
        return fixture.broker().metrics().scrape().lines()
            .filter(line -> line.startsWith("tributary_requests_seconds_count{api=\"DescribeTopicPartitions\"}"))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static void awaitAnswered(double count) {
        Await.until("DescribeTopicPartitions answered " + count + " times", Duration.ofSeconds(20), () -> answered() == count);
    }

    private static DescribeTopicPartitionsResponseData send(DescribeTopicPartitionsRequestData request) {
        try (RawKafkaConnection raw = RawKafkaConnection.open(fixture.port())) {
            DescribeTopicPartitionsResponse response = raw.send(new DescribeTopicPartitionsRequest.Builder(request), V0);
            return response.data();
        }
    }

    private static DescribeTopicPartitionsRequestData request(int limit, String... topics) {
        DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(limit);
        for (String topic : topics) {
            request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(topic));
        }
        return request;
    }

    private static DescribeTopicPartitionsRequestData.Cursor cursor(String topic, int partition) {
        return new DescribeTopicPartitionsRequestData.Cursor().setTopicName(topic).setPartitionIndex(partition);
    }

    /** "topic:partition" of each partition of the answer, in order. */
    private static List<String> partitions(DescribeTopicPartitionsResponseData response) {
        List<String> out = new ArrayList<>();
        for (DescribeTopicPartitionsResponseTopic topic : response.topics()) {
            topic.partitions().forEach(p -> out.add(topic.name() + ":" + p.partitionIndex()));
        }
        return out;
    }

    @Test
    void apiVersionsAdvertisesVersionZero() {
        try (RawKafkaConnection raw = RawKafkaConnection.open(fixture.port())) {
            ApiVersionsResponse response = raw.send(new ApiVersionsRequest.Builder(), (short) 3);
            var version = response.apiVersion(ApiKeys.DESCRIBE_TOPIC_PARTITIONS.id);
            assertThat(version).isNotNull();
            assertThat(version.minVersion()).isZero();
            assertThat(version.maxVersion()).isZero();
        }
    }

    @Test
    void adminDescribeTopicsPagesThroughApi75AsTheBrokerCapsAndAsAsked() throws Exception {
        try (Admin admin = fixture.admin()) {
            double before = answered();
            // Admin asks for 2000 a page; the broker caps at 4: alpha 0-3 | alpha 4-6, beta 0 | beta 1-4 | gamma 0
            Map<String, TopicDescription> described = admin.describeTopics(List.of("gamma", "alpha", "beta"))
                .allTopicNames().get(30, TimeUnit.SECONDS);
            awaitAnswered(before + 4);
            checkDescriptions(described);
            // asked for 3 a page: alpha 0-2 | 3-5 | alpha 6, beta 0-1 | beta 2-4 | gamma 0
            described = admin.describeTopics(List.of("alpha", "beta", "gamma"), new DescribeTopicsOptions()
                .partitionSizeLimitPerResponse(3).includeAuthorizedOperations(true)).allTopicNames().get(30, TimeUnit.SECONDS);
            awaitAnswered(before + 4 + 5);
            checkDescriptions(described);
            // without an authorizer Kafka answers every operation of a topic
            assertThat(described.get("alpha").authorizedOperations()).containsExactlyInAnyOrder(AclOperation.READ, AclOperation.WRITE,
                AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
                AclOperation.ALTER_CONFIGS);
        }
    }

    private static void checkDescriptions(Map<String, TopicDescription> described) {
        assertThat(described).containsOnlyKeys("alpha", "beta", "gamma");
        for (Map.Entry<String, Integer> topic : Map.of("alpha", 7, "beta", 5, "gamma", 1).entrySet()) {
            TopicDescription description = described.get(topic.getKey());
            assertThat(description.topicId()).isEqualTo(ids.get(topic.getKey()));
            assertThat(description.isInternal()).isFalse();
            assertThat(description.partitions()).extracting(TopicPartitionInfo::partition)
                .containsExactlyElementsOf(IntStream.range(0, topic.getValue()).boxed().toList());
            for (TopicPartitionInfo partition : description.partitions()) {
                assertThat(partition.leader().id()).isZero();
                assertThat(partition.replicas()).extracting(n -> n.id()).containsExactly(0);
                assertThat(partition.isr()).extracting(n -> n.id()).containsExactly(0);
                assertThat(partition.elr()).isEmpty();
                assertThat(partition.lastKnownElr()).isEmpty();
            }
        }
    }

    @Test
    void kafkaTopicsDescribePagesEveryTopicThroughApi75() {
        double before = answered();
        String output = kafkaTopics("--bootstrap-server", fixture.bootstrap(), "--describe", "--partition-size-limit-per-response", "2");
        // alpha 0-1 | 2-3 | 4-5 | alpha 6, beta 0 | beta 1-2 | 3-4 | gamma 0
        awaitAnswered(before + 7);
        for (int p = 0; p < 7; p++) {
            assertThat(output).containsPattern("Topic: alpha\\s+Partition: " + p + "\\s+Leader: 0\\s+Replicas: 0\\s+Isr: 0");
        }
        for (int p = 0; p < 5; p++) {
            assertThat(output).containsPattern("Topic: beta\\s+Partition: " + p + "\\s+Leader: 0\\s+Replicas: 0\\s+Isr: 0");
        }
        assertThat(output).containsPattern("Topic: gamma\\s+TopicId: " + ids.get("gamma") + "\\s+PartitionCount: 1");
    }

    /** Kafka's kafka-topics, run in-process (its exit made to throw); what it printed, after checking it exited 0. */
    private static synchronized String kafkaTopics(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        int[] exit = {-1};
        Exit.setExitProcedure((status, message) -> {
            if (exit[0] < 0) {
                exit[0] = status;
            }
            throw new IllegalStateException("exit " + status);
        });
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            TopicCommand.main(args);
        } catch (IllegalStateException expected) {
            // the tool's exit
        } finally {
            System.setOut(out);
            Exit.resetExitProcedure();
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit[0]).as(output).isZero();
        return output;
    }

    @Test
    void anUnknownTopicFailsAloneThroughAdmin() throws Exception {
        try (Admin admin = fixture.admin()) {
            var result = admin.describeTopics(List.of("gamma", "nowhere")).topicNameValues();
            assertThat(result.get("gamma").get(30, TimeUnit.SECONDS).partitions()).hasSize(1);
            assertThatThrownBy(() -> result.get("nowhere").get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    @Test
    void anEmptyListPagesThroughEveryTopicByNameAndAgreesWithMetadata() {
        List<String> all = new ArrayList<>();
        DescribeTopicPartitionsResponseData page = send(request(3));
        List<DescribeTopicPartitionsResponseTopic> topics = new ArrayList<>();
        for (int pages = 0; pages < 10; pages++) {
            all.addAll(partitions(page));
            topics.addAll(page.topics());
            assertThat(page.topics()).allSatisfy(t -> assertThat(t.errorCode()).isZero());
            assertThat(partitions(page)).hasSizeLessThanOrEqualTo(3);
            if (page.nextCursor() == null) {
                break;
            }
            page = send(request(3).setCursor(cursor(page.nextCursor().topicName(), page.nextCursor().partitionIndex())));
        }
        assertThat(page.nextCursor()).isNull();
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 7).forEach(p -> expected.add("alpha:" + p));
        IntStream.range(0, 5).forEach(p -> expected.add("beta:" + p));
        expected.add("gamma:0");
        assertThat(all).containsExactlyElementsOf(expected);

        // every partition as Metadata has it (TopicStates serves both)
        MetadataResponse metadata;
        try (RawKafkaConnection raw = RawKafkaConnection.open(fixture.port())) {
            metadata = raw.send(new MetadataRequest.Builder(new MetadataRequestData().setTopics(null)), (short) 12);
        }
        for (DescribeTopicPartitionsResponseTopic topic : topics) {
            var theirs = metadata.data().topics().find(topic.name());
            assertThat(topic.topicId()).isEqualTo(theirs.topicId()).isEqualTo(ids.get(topic.name()));
            assertThat(topic.isInternal()).isFalse();
            assertThat(topic.topicAuthorizedOperations()).isEqualTo(TopicDescribeAccess.ALL_TOPIC_OPERATIONS);
            for (DescribeTopicPartitionsResponsePartition partition : topic.partitions()) {
                var same = theirs.partitions().stream().filter(p -> p.partitionIndex() == partition.partitionIndex()).findFirst().orElseThrow();
                assertThat(partition.errorCode()).isZero();
                assertThat(partition.leaderId()).isEqualTo(same.leaderId());
                assertThat(partition.leaderEpoch()).isEqualTo(same.leaderEpoch());
                assertThat(partition.replicaNodes()).isEqualTo(same.replicaNodes());
                assertThat(partition.isrNodes()).isEqualTo(same.isrNodes());
                assertThat(partition.offlineReplicas()).isEqualTo(same.offlineReplicas()).isEmpty();
                assertThat(partition.eligibleLeaderReplicas()).isEmpty();
                assertThat(partition.lastKnownElr()).isEmpty();
            }
        }
    }

    @Test
    void aPageCutsInsideATopicOrBeforeTheNextAndTheBrokerCapsTheLimit() {
        // 100 asked, 4 allowed: alpha 0-3, the cursor at alpha 4
        DescribeTopicPartitionsResponseData page = send(request(100, "alpha", "beta"));
        assertThat(partitions(page)).containsExactly("alpha:0", "alpha:1", "alpha:2", "alpha:3");
        assertThat(page.nextCursor().topicName()).isEqualTo("alpha");
        assertThat(page.nextCursor().partitionIndex()).isEqualTo(4);
        // alpha's last 3 and the page has room for 1 of beta; a page filled exactly by a topic points at the next one
        page = send(request(3, "alpha", "beta").setCursor(cursor("alpha", 4)));
        assertThat(partitions(page)).containsExactly("alpha:4", "alpha:5", "alpha:6");
        assertThat(page.nextCursor().topicName()).isEqualTo("beta");
        assertThat(page.nextCursor().partitionIndex()).isZero();
        // the cursor's topic skips the names before it; a cursor past the end gives the topic with no partitions
        page = send(request(4, "alpha", "gamma").setCursor(cursor("gamma", 5)));
        assertThat(page.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("gamma");
        assertThat(page.topics().find("gamma").partitions()).isEmpty();
        assertThat(page.nextCursor()).isNull();
        // a negative or zero limit is one partition, as Kafka's max(min(cap, limit), 1)
        page = send(request(-5, "beta"));
        assertThat(partitions(page)).containsExactly("beta:0");
        assertThat(page.nextCursor().partitionIndex()).isEqualTo(1);
    }

    @Test
    void namedTopicsThatDoNotExistCostNoRoomAndCarryTheZeroId() {
        DescribeTopicPartitionsResponseData page = send(request(4, "gamma", "absent", "bad name!"));
        assertThat(page.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactly("absent", "bad name!", "gamma");
        assertThat(page.topics().find("absent").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(page.topics().find("absent").topicId()).isEqualTo(Uuid.ZERO_UUID);
        assertThat(page.topics().find("absent").partitions()).isEmpty();
        assertThat(page.topics().find("bad name!").errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(page.topics().find("gamma").errorCode()).isZero();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void aCursorOutsideTheNamedTopicsOrNegativeIsAnInvalidRequest() {
        DescribeTopicPartitionsResponseData answer = send(request(4, "alpha", "beta").setCursor(cursor("gamma", 0)));
        assertThat(answer.topics()).extracting(DescribeTopicPartitionsResponseTopic::name).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(answer.topics()).allSatisfy(t -> {
            assertThat(t.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(t.partitions()).isEmpty();
        });
        assertThat(answer.nextCursor()).isNull();
        // what Kafka's own error answer for this request holds
        DescribeTopicPartitionsRequest kafkas = new DescribeTopicPartitionsRequest.Builder(request(4, "alpha", "beta")
            .setCursor(cursor("gamma", 0))).build(V0);
        assertThat(answer).isEqualTo(kafkas.getErrorResponse(0, Errors.INVALID_REQUEST.exception()).data());

        answer = send(request(4, "alpha").setCursor(cursor("alpha", -1)));
        assertThat(answer.topics().find("alpha").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        // all topics: the error answer names none
        answer = send(request(4).setCursor(cursor("alpha", -1)));
        assertThat(answer.topics()).isEmpty();
        assertThat(answer.nextCursor()).isNull();
    }
}
