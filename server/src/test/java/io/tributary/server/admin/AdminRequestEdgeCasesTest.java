package io.tributary.server.admin;

import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tributary.server.admin.AdminTestSupport.await;
import static io.tributary.server.admin.AdminTestSupport.failure;
import static io.tributary.server.admin.AdminTestSupport.kafka;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Kafka's AdminClient never sends but a hand-written client may: names repeated in one request,
 * delete entries with both or neither of name and id, manual assignments with a partition count; and the
 * per-request partition cap, which the AdminClient can hit. Raw requests are Kafka's own request classes.
 */
class AdminRequestEdgeCasesTest {
    BrokerFixture fixture = new BrokerFixture(Map.of());
    Admin admin;
    RawKafkaConnection raw;

    @BeforeEach
    void connect() throws Exception {
        admin = fixture.admin();
        await(admin.createTopics(List.of(new NewTopic("existing", 1, (short) 1))).all());
        raw = RawKafkaConnection.open(fixture.port());
    }

    @AfterEach
    void stop() {
        raw.close();
        admin.close();
        fixture.close();
    }

    @Test
    void moreThanTenThousandNewPartitionsInOneRequestRefuseItWhole() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("big-a", 6000, (short) 1),
            new NewTopic("big-b", 6000, (short) 1)));
        for (String name : List.of("big-a", "big-b")) {
            assertThat(failure(result.values().get(name))).isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("12000 requested, limit 10000");
        }
        assertThat(failure(admin.createPartitions(Map.of("existing", NewPartitions.increaseTo(10_002))).all()))
            .isInstanceOf(PolicyViolationException.class).hasMessageContaining("10001 requested");
        assertThat(AdminTestSupport.userTopics(fixture.broker().logs())).containsExactly("existing");
        assertThat(fixture.broker().logs().topic("existing").partitionCount()).isEqualTo(1);
    }

    @Test
    void aTopicNamedTwiceInCreateTopicsIsRefusedInBothEntries() {
        CreateTopicsRequestData data = new CreateTopicsRequestData().setTimeoutMs(10_000);
        data.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("dup").setNumPartitions(1).setReplicationFactor((short) 1));
        data.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("dup").setNumPartitions(2).setReplicationFactor((short) 1));
        data.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("single").setNumPartitions(1).setReplicationFactor((short) -1));
        CreateTopicsRequestData.CreatableTopic assigned = new CreateTopicsRequestData.CreatableTopic().setName("assigned")
            .setNumPartitions(3).setReplicationFactor((short) -1);
        assigned.assignments().add(new CreateTopicsRequestData.CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(0)));
        data.topics().add(assigned);
        CreateTopicsResponse response = raw.send(new CreateTopicsRequest.Builder(data), (short) 7);
        List<CreatableTopicResult> results = new ArrayList<>(response.data().topics());
        assertThat(results).filteredOn(r -> r.name().equals("dup")).hasSize(2).allSatisfy(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(r.errorMessage()).contains("dup appears 2 times");
            assertThat(r.numPartitions()).isEqualTo(-1);
        });
        assertThat(results).filteredOn(r -> r.name().equals("single")).singleElement().satisfies(r -> {
            assertThat(r.errorCode()).isZero();
            assertThat(r.numPartitions()).isEqualTo(1);
            assertThat(r.replicationFactor()).isEqualTo((short) 1);
            assertThat(r.topicId()).isEqualTo(kafka(fixture.broker().logs().topic("single").topicId()));
        });
        assertThat(results).filteredOn(r -> r.name().equals("assigned")).singleElement().satisfies(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(r.errorMessage()).contains("numPartitions was set to 3");
        });
        assertThat(AdminTestSupport.userTopics(fixture.broker().logs())).containsExactlyInAnyOrder("existing", "single");
    }

    @Test
    void deleteEntriesMustNameEachTopicOnceByNameOrById() {
        Uuid existingId = kafka(fixture.broker().logs().topic("existing").topicId());
        DeleteTopicsResponse byNames = raw.send(new DeleteTopicsRequest.Builder(new DeleteTopicsRequestData()
            .setTopicNames(List.of("existing", "existing")).setTimeoutMs(10_000)), (short) 5);
        assertThat(byNames.data().responses()).hasSize(2).allSatisfy(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(r.errorMessage()).contains("existing is named more than once");
        });

        DeleteTopicsRequestData v6 = new DeleteTopicsRequestData().setTimeoutMs(10_000);
        v6.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("existing"));
        v6.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setTopicId(existingId));
        v6.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("other").setTopicId(existingId));
        v6.topics().add(new DeleteTopicsRequestData.DeleteTopicState());
        List<DeletableTopicResult> results = new ArrayList<>(raw.<DeleteTopicsResponse>send(
            new DeleteTopicsRequest.Builder(v6), (short) 6).data().responses());
        assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code()));
        assertThat(results.get(1).name()).as("resolved from the id").isEqualTo("existing");
        assertThat(results.get(2).errorMessage()).contains("both topic name (other) and topic id (" + existingId + ")");
        assertThat(results.get(3).errorMessage()).contains("Neither");
        assertThat(fixture.broker().logs().topic("existing")).isNotNull();

        v6 = new DeleteTopicsRequestData().setTimeoutMs(10_000);
        v6.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setTopicId(existingId));
        DeletableTopicResult deleted = raw.<DeleteTopicsResponse>send(new DeleteTopicsRequest.Builder(v6), (short) 6)
            .data().responses().iterator().next();
        assertThat(deleted.errorCode()).isZero();
        assertThat(deleted.name()).isEqualTo("existing");
        assertThat(deleted.topicId()).isEqualTo(existingId);
        assertThat(AdminTestSupport.userTopics(fixture.broker().logs())).isEmpty();
    }

    @Test
    void aTopicOrResourceNamedTwiceInCreatePartitionsOrIncrementalAlterIsRefused() {
        CreatePartitionsRequestData partitions = new CreatePartitionsRequestData().setTimeoutMs(10_000);
        partitions.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("existing").setCount(2));
        partitions.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("existing").setCount(3));
        CreatePartitionsResponse grown = raw.send(new CreatePartitionsRequest.Builder(partitions), (short) 3);
        assertThat(grown.data().results()).hasSize(2)
            .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code()));
        assertThat(fixture.broker().logs().topic("existing").partitionCount()).isEqualTo(1);

        IncrementalAlterConfigsRequestData alter = new IncrementalAlterConfigsRequestData();
        for (String value : List.of("1000", "2000")) {
            IncrementalAlterConfigsRequestData.AlterConfigsResource resource = new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                .setResourceType((byte) 2).setResourceName("existing");
            resource.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                .setConfigOperation((byte) 0).setValue(value));
            alter.resources().add(resource);
        }
        IncrementalAlterConfigsResponse altered = raw.send(new IncrementalAlterConfigsRequest.Builder(alter), (short) 1);
        assertThat(altered.data().responses()).hasSize(2).allSatisfy(r -> {
            assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(r.errorMessage()).contains("appears 2 times");
        });
        assertThat(fixture.broker().logs().topic("existing").configOverrides()).isEmpty();
    }
}
