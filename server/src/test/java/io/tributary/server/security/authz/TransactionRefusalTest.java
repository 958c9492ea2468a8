package io.tributary.server.security.authz;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.txn.AddOffsetsToTxnRequest;
import io.tributary.protocol.message.txn.AddOffsetsToTxnResponse;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse;
import io.tributary.protocol.message.txn.DescribeProducersRequest;
import io.tributary.protocol.message.txn.DescribeProducersResponse;
import io.tributary.protocol.message.txn.TxnOffsetCommitRequest;
import io.tributary.protocol.message.txn.TxnOffsetCommitResponse;
import io.tributary.protocol.message.txn.WriteTxnMarkersRequest;
import io.tributary.protocol.message.txn.WriteTxnMarkersResponse;
import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.fetch.RawConnection;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction APIs answer an authorizer's refusal with Kafka's errors, per partition where the answer has
 * partitions, and keep the connection open: every request below goes over one raw PLAINTEXT connection, whose
 * principal User:ANONYMOUS may WRITE the transactional id {@code tx-ok}, READ the group {@code g-ok} and READ/WRITE the
 * topic {@code granted}, and nothing else (not {@code secret}, not CLUSTER_ACTION).
 */
class TransactionRefusalTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\";";
    private static final short TOPIC_DENIED = ErrorCode.TOPIC_AUTHORIZATION_FAILED.code();
    private static final short ID_DENIED = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code();
    private static final short GROUP_DENIED = ErrorCode.GROUP_AUTHORIZATION_FAILED.code();
    private static final short CLUSTER_DENIED = ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code();

    private static BrokerFixture fixture;
    private static RawConnection raw;

    @BeforeAll
    static void start() throws Exception {
        fixture = new BrokerFixture(Map.of(
            ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config", JAAS,
            "sasl.enabled.mechanisms", "PLAIN",
            "authorizer.class.name", AuthorizerSettings.KAFKA_STANDARD_AUTHORIZER,
            "super.users", "User:admin"));
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + fixture.broker().boundAddresses().get(1).getPort());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, JAAS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "40000");
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("granted", 2, (short) 1), new NewTopic("secret", 1, (short) 1)))
                .all().get(20, TimeUnit.SECONDS);
            admin.createAcls(List.of(
                allow(ResourceType.TRANSACTIONAL_ID, "tx-ok", AclOperation.WRITE),
                allow(ResourceType.GROUP, "g-ok", AclOperation.READ),
                allow(ResourceType.TOPIC, "granted", AclOperation.READ),
                allow(ResourceType.TOPIC, "granted", AclOperation.WRITE))).all().get(20, TimeUnit.SECONDS);
        }
        raw = new RawConnection(fixture.port());
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static AclBinding allow(ResourceType type, String name, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
            new AccessControlEntry("User:ANONYMOUS", "*", operation, AclPermissionType.ALLOW));
    }

    // ------------------------------------------------------------------------------------------- AddPartitionsToTxn

    private static Struct addPartitions(String transactionalId, Map<String, int[]> topics) {
        Struct request = AddPartitionsToTxnRequest.SCHEMA.newStruct()
            .set(AddPartitionsToTxnRequest.V3_AND_BELOW_TRANSACTIONAL_ID, transactionalId)
            .set(AddPartitionsToTxnRequest.V3_AND_BELOW_PRODUCER_ID, 1000L)
            .set(AddPartitionsToTxnRequest.V3_AND_BELOW_PRODUCER_EPOCH, (short) 0);
        topics.forEach((name, partitions) -> request.add(AddPartitionsToTxnRequest.V3_AND_BELOW_TOPICS)
            .set(AddPartitionsToTxnRequest.AddPartitionsToTxnTopic.NAME, name)
            .set(AddPartitionsToTxnRequest.AddPartitionsToTxnTopic.PARTITIONS, partitions));
        return request;
    }

    /** "topic-partition" to error code of a v0-3 AddPartitionsToTxn answer. */
    private static Map<String, Short> addPartitionsErrors(Struct response) {
        Map<String, Short> errors = new LinkedHashMap<>();
        for (Struct topic : response.get(AddPartitionsToTxnResponse.RESULTS_BY_TOPIC_V3_AND_BELOW)) {
            for (Struct p : topic.get(AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult.RESULTS_BY_PARTITION)) {
                errors.put(topic.get(AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult.NAME) + "-"
                    + p.get(AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult.PARTITION_INDEX),
                    p.get(AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult.PARTITION_ERROR_CODE));
            }
        }
        return errors;
    }

    @Test
    void addPartitionsToTxnAnswersEveryPartitionWithTheRefusal() {
        Map<String, int[]> topics = new LinkedHashMap<>();
        topics.put("granted", new int[] {0, 1});
        topics.put("secret", new int[] {0});
        Struct noId = raw.call(ApiKey.ADD_PARTITIONS_TO_TXN, (short) 3, addPartitions("tx-denied", topics));
        assertThat(addPartitionsErrors(noId)).isEqualTo(Map.of("granted-0", ID_DENIED, "granted-1", ID_DENIED, "secret-0", ID_DENIED));

        // One topic refused: nothing is added; the refused topic's partitions say why, the others were not attempted.
        Struct oneTopic = raw.call(ApiKey.ADD_PARTITIONS_TO_TXN, (short) 3, addPartitions("tx-ok", topics));
        short notAttempted = ErrorCode.OPERATION_NOT_ATTEMPTED.code();
        assertThat(addPartitionsErrors(oneTopic)).isEqualTo(Map.of("granted-0", notAttempted, "granted-1", notAttempted, "secret-0", TOPIC_DENIED));

        // The broker form (v4+) needs CLUSTER_ACTION: one top-level error.
        Struct brokerForm = AddPartitionsToTxnRequest.SCHEMA.newStruct();
        brokerForm.add(AddPartitionsToTxnRequest.TRANSACTIONS)
            .set(AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction.TRANSACTIONAL_ID, "tx-ok")
            .set(AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction.PRODUCER_ID, 1000L)
            .set(AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction.PRODUCER_EPOCH, (short) 0)
            .set(AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction.VERIFY_ONLY, true)
            .add(AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction.TOPICS)
            .set(AddPartitionsToTxnRequest.AddPartitionsToTxnTopic.NAME, "granted")
            .set(AddPartitionsToTxnRequest.AddPartitionsToTxnTopic.PARTITIONS, new int[] {0});
        Struct answer = raw.call(ApiKey.ADD_PARTITIONS_TO_TXN, (short) 4, brokerForm);
        assertThat(answer.get(AddPartitionsToTxnResponse.ERROR_CODE)).isEqualTo(CLUSTER_DENIED);
    }

    // ----------------------------------------------------------------------------------------------- WriteTxnMarkers

    @Test
    void writeTxnMarkersWithoutClusterActionAnswersEveryPartition() {
        Struct request = WriteTxnMarkersRequest.SCHEMA.newStruct();
        for (long producerId : new long[] {7L, 8L}) {
            request.add(WriteTxnMarkersRequest.MARKERS)
                .set(WriteTxnMarkersRequest.WritableTxnMarker.PRODUCER_ID, producerId)
                .set(WriteTxnMarkersRequest.WritableTxnMarker.PRODUCER_EPOCH, (short) 0)
                .set(WriteTxnMarkersRequest.WritableTxnMarker.TRANSACTION_RESULT, true)
                .set(WriteTxnMarkersRequest.WritableTxnMarker.COORDINATOR_EPOCH, 0)
                .add(WriteTxnMarkersRequest.WritableTxnMarker.TOPICS)
                .set(WriteTxnMarkersRequest.WritableTxnMarkerTopic.NAME, "granted")
                .set(WriteTxnMarkersRequest.WritableTxnMarkerTopic.PARTITION_INDEXES, new int[] {0, 1});
        }
        Struct answer = raw.call(ApiKey.WRITE_TXN_MARKERS, (short) 1, request);
        Map<String, Short> errors = new LinkedHashMap<>();
        for (Struct marker : answer.get(WriteTxnMarkersResponse.MARKERS)) {
            for (Struct topic : marker.get(WriteTxnMarkersResponse.WritableTxnMarkerResult.TOPICS)) {
                for (Struct p : topic.get(WriteTxnMarkersResponse.WritableTxnMarkerTopicResult.PARTITIONS)) {
                    errors.put(marker.get(WriteTxnMarkersResponse.WritableTxnMarkerResult.PRODUCER_ID) + ":"
                        + topic.get(WriteTxnMarkersResponse.WritableTxnMarkerTopicResult.NAME) + "-"
                        + p.get(WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult.PARTITION_INDEX),
                        p.get(WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult.ERROR_CODE));
                }
            }
        }
        assertThat(errors).isEqualTo(Map.of("7:granted-0", CLUSTER_DENIED, "7:granted-1", CLUSTER_DENIED,
            "8:granted-0", CLUSTER_DENIED, "8:granted-1", CLUSTER_DENIED));
    }

    // ----------------------------------------------------------------------------------------------- TxnOffsetCommit

    private static Struct txnOffsetCommit(String transactionalId, String group, String... topics) {
        Struct request = TxnOffsetCommitRequest.SCHEMA.newStruct()
            .set(TxnOffsetCommitRequest.TRANSACTIONAL_ID, transactionalId)
            .set(TxnOffsetCommitRequest.GROUP_ID, group)
            .set(TxnOffsetCommitRequest.PRODUCER_ID, 1000L)
            .set(TxnOffsetCommitRequest.PRODUCER_EPOCH, (short) 0);
        for (String topic : topics) {
            request.add(TxnOffsetCommitRequest.TOPICS).set(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic.NAME, topic)
                .add(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic.PARTITIONS)
                .set(TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition.PARTITION_INDEX, 0)
                .set(TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition.COMMITTED_OFFSET, 5L)
                .set(TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition.COMMITTED_METADATA, "");
        }
        return request;
    }

    private static Map<String, Short> txnOffsetCommitErrors(Struct response) {
        Map<String, Short> errors = new LinkedHashMap<>();
        for (Struct topic : response.get(TxnOffsetCommitResponse.TOPICS)) {
            for (Struct p : topic.get(TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic.PARTITIONS)) {
                errors.put(topic.get(TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic.NAME) + "-"
                    + p.get(TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition.PARTITION_INDEX),
                    p.get(TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition.ERROR_CODE));
            }
        }
        return errors;
    }

    @Test
    void txnOffsetCommitAnswersTheIdsTheGroupsOrEachTopicsRefusal() {
        short v = 3;
        assertThat(txnOffsetCommitErrors(raw.call(ApiKey.TXN_OFFSET_COMMIT, v, txnOffsetCommit("tx-denied", "g-ok", "granted", "secret"))))
            .isEqualTo(Map.of("granted-0", ID_DENIED, "secret-0", ID_DENIED));
        assertThat(txnOffsetCommitErrors(raw.call(ApiKey.TXN_OFFSET_COMMIT, v, txnOffsetCommit("tx-ok", "g-denied", "granted", "secret"))))
            .isEqualTo(Map.of("granted-0", GROUP_DENIED, "secret-0", GROUP_DENIED));
        // Only the refused topic: answered without asking the coordinator.
        assertThat(txnOffsetCommitErrors(raw.call(ApiKey.TXN_OFFSET_COMMIT, v, txnOffsetCommit("tx-ok", "g-ok", "secret"))))
            .isEqualTo(Map.of("secret-0", TOPIC_DENIED));
        // A refused topic beside a granted one: the granted one goes to the coordinator (which has no such transaction
        // and says so), the refused one is answered TOPIC_AUTHORIZATION_FAILED.
        Map<String, Short> mixed = txnOffsetCommitErrors(raw.call(ApiKey.TXN_OFFSET_COMMIT, v, txnOffsetCommit("tx-ok", "g-ok", "granted", "secret")));
        assertThat(mixed).containsOnlyKeys("granted-0", "secret-0").containsEntry("secret-0", TOPIC_DENIED);
        assertThat(mixed.get("granted-0")).isNotIn(TOPIC_DENIED, ID_DENIED, GROUP_DENIED);
    }

    // ------------------------------------------------------------------------------------ AddOffsetsToTxn, DescribeProducers

    @Test
    void addOffsetsToTxnAnswersItsSingleError() {
        Struct noId = AddOffsetsToTxnRequest.SCHEMA.newStruct().set(AddOffsetsToTxnRequest.TRANSACTIONAL_ID, "tx-denied")
            .set(AddOffsetsToTxnRequest.PRODUCER_ID, 1000L).set(AddOffsetsToTxnRequest.PRODUCER_EPOCH, (short) 0)
            .set(AddOffsetsToTxnRequest.GROUP_ID, "g-ok");
        assertThat(raw.call(ApiKey.ADD_OFFSETS_TO_TXN, (short) 3, noId).get(AddOffsetsToTxnResponse.ERROR_CODE)).isEqualTo(ID_DENIED);
        Struct noGroup = AddOffsetsToTxnRequest.SCHEMA.newStruct().set(AddOffsetsToTxnRequest.TRANSACTIONAL_ID, "tx-ok")
            .set(AddOffsetsToTxnRequest.PRODUCER_ID, 1000L).set(AddOffsetsToTxnRequest.PRODUCER_EPOCH, (short) 0)
            .set(AddOffsetsToTxnRequest.GROUP_ID, "g-denied");
        assertThat(raw.call(ApiKey.ADD_OFFSETS_TO_TXN, (short) 3, noGroup).get(AddOffsetsToTxnResponse.ERROR_CODE)).isEqualTo(GROUP_DENIED);
    }

    @Test
    void describeProducersAnswersTheRefusedTopicBesideTheOthers() {
        Struct request = DescribeProducersRequest.SCHEMA.newStruct();
        for (String topic : List.of("granted", "secret")) {
            request.add(DescribeProducersRequest.TOPICS).set(DescribeProducersRequest.TopicRequest.NAME, topic)
                .set(DescribeProducersRequest.TopicRequest.PARTITION_INDEXES, new int[] {0});
        }
        Map<String, Short> errors = new LinkedHashMap<>();
        for (Struct topic : raw.call(ApiKey.DESCRIBE_PRODUCERS, (short) 0, request).get(DescribeProducersResponse.TOPICS)) {
            for (Struct p : topic.get(DescribeProducersResponse.TopicResponse.PARTITIONS)) {
                errors.put(topic.get(DescribeProducersResponse.TopicResponse.NAME) + "-"
                    + p.get(DescribeProducersResponse.PartitionResponse.PARTITION_INDEX), p.get(DescribeProducersResponse.PartitionResponse.ERROR_CODE));
            }
        }
        assertThat(errors).isEqualTo(Map.of("granted-0", ErrorCode.NONE.code(), "secret-0", TOPIC_DENIED));
    }
}
