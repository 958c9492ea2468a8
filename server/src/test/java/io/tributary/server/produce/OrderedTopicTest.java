package io.tributary.server.produce;

import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.produce.ProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.TopicProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.protocol.routing.RoutingFences;
import io.tributary.protocol.routing.RoutingMode;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An ordered topic (routing.mode=ordered) over the wire: the produce answer for a misrouted record, routing.mode
 * and routing.fences through Kafka's AdminClient, the fences after growths and across a restart, and the mode
 * fixed at creation.
 */
class OrderedTopicTest {
    static final short V = 11;
    BrokerFixture fixture = new BrokerFixture(Map.of());
    RawClient client;
    Admin admin;
    ConfigResource orders = new ConfigResource(ConfigResource.Type.TOPIC, "orders");

    @BeforeEach
    void setUp() throws Exception {
        admin = fixture.admin();
        get(admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1).configs(Map.of("routing.mode", "ordered")))).all());
        client = new RawClient(fixture.port());
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        admin.close();
        fixture.close();
    }

    static <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    /** The first "key-<i>" that routes to {@code partition} of {@code partitions}. */
    static String key(int partitions, int partition) {
        for (int i = 0; i < 100_000; i++) {
            String key = "key-" + i;
            if (RoutingMode.ORDERED.partition(bytes(key), partitions) == partition) {
                return key;
            }
        }
        throw new AssertionError("no key for partition " + partition);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ByteBuffer batch(long producerId, short epoch, int sequence, String... keys) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        if (producerId >= 0) {
            builder.producer(producerId, epoch, sequence);
        }
        for (String key : keys) {
            builder.append(1_700_000_000_000L, key == null ? null : ByteBuffer.wrap(bytes(key)), ByteBuffer.wrap(bytes("v")));
        }
        return builder.build();
    }

    Struct produce(int partition, ByteBuffer records) throws Exception {
        return RawClient.onlyPartition(client.call(ApiKey.PRODUCE, V, RawClient.produce((short) -1, "orders", partition, records)));
    }

    PartitionLog log(int partition) {
        return fixture.broker().logs().log(new TopicPartition("orders", partition));
    }

    Map<String, ConfigEntry> describe() throws Exception {
        Config config = get(admin.describeConfigs(List.of(orders)).all()).get(orders);
        return config.entries().stream().collect(java.util.stream.Collectors.toMap(ConfigEntry::name, e -> e));
    }

    @Test
    void aMisroutedRecordIsRefusedWithARetriableMetadataErrorAndNothingIsWritten() throws Exception {
        String right = key(3, 1);
        String wrong = key(3, 2);

        Struct refused = produce(1, batch(-1, (short) -1, -1, right, wrong));
        assertThat(ErrorCode.forCode(RawClient.errorOf(refused))).isEqualTo(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        assertThat(ErrorCode.NOT_LEADER_OR_FOLLOWER.isRetriable()).isTrue();
        assertThat(refused.get(PartitionProduceResponse.ERROR_MESSAGE))
            .contains("orders-1").contains("maps to partition 2 of 3").contains("routing.mode=ordered");
        assertThat(log(1).logEndOffset()).isZero();

        Struct accepted = produce(1, batch(-1, (short) -1, -1, right, null, right));
        assertThat(RawClient.errorOf(accepted)).isZero();
        assertThat(log(1).logEndOffset()).isEqualTo(3);
    }

    /** A refused idempotent batch leaves the producer's sequence where it was: the same sequence is taken next. */
    @Test
    void aRefusedIdempotentBatchDoesNotAdvanceTheSequence() throws Exception {
        long[] ids = client.initProducerId();
        long producerId = ids[0];
        short epoch = (short) ids[1];
        String right = key(3, 0);
        String wrong = key(3, 1);

        assertThat(ErrorCode.forCode(RawClient.errorOf(produce(0, batch(producerId, epoch, 0, wrong)))))
            .isEqualTo(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        assertThat(RawClient.errorOf(produce(0, batch(producerId, epoch, 0, right, right)))).isZero();
        assertThat(RawClient.errorOf(produce(1, batch(producerId, epoch, 0, wrong)))).isZero();
        assertThat(log(0).logEndOffset()).isEqualTo(2);
    }

    @Test
    void fencesArePublishedPerGrowthAndSurviveARestart() throws Exception {
        Map<String, ConfigEntry> initial = describe();
        assertThat(initial.get("routing.mode").value()).isEqualTo("ordered");
        assertThat(initial.get("routing.mode").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(initial.get("routing.fences").value()).isEmpty();
        assertThat(initial.get("routing.fences").isReadOnly()).isTrue();

        for (int p = 0; p < 3; p++) {
            String k = key(3, p);
            for (int n = 0; n <= p; n++) {
                assertThat(RawClient.errorOf(produce(p, batch(-1, (short) -1, -1, k, k)))).isZero();
            }
        }
        get(admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(6))).all());
        String afterFirst = describe().get("routing.fences").value();
        assertThat(afterFirst).isEqualTo("3->6:2,4,6");

        for (int p = 0; p < 6; p++) {
            assertThat(RawClient.errorOf(produce(p, batch(-1, (short) -1, -1, key(6, p))))).isZero();
        }
        get(admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(9))).all());
        String afterSecond = describe().get("routing.fences").value();
        assertThat(afterSecond).isEqualTo("3->6:2,4,6;6->9:3,5,7,1,1,1");
        RoutingFences fences = RoutingFences.parse(afterSecond);
        assertThat(fences.generationOf(7)).isEqualTo(2);

        client.close();
        admin.close();
        fixture.restart();
        admin = fixture.admin();
        client = new RawClient(fixture.port());
        assertThat(describe().get("routing.fences").value()).isEqualTo(afterSecond);
        assertThat(ErrorCode.forCode(RawClient.errorOf(produce(0, batch(-1, (short) -1, -1, key(9, 8))))))
            .isEqualTo(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void routingModeCannotChangeAndFencesCannotBeSet() throws Exception {
        for (boolean validateOnly : List.of(true, false)) {
            Throwable failure = catchCause(() -> get(admin.incrementalAlterConfigs(Map.of(orders, List.of(new AlterConfigOp(
                new ConfigEntry("routing.mode", "hash"), AlterConfigOp.OpType.SET))), new AlterConfigsOptions().validateOnly(validateOnly)).all()));
            assertThat(failure).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("cannot change");
        }
        Throwable deleted = catchCause(() -> get(admin.incrementalAlterConfigs(Map.of(orders, List.of(new AlterConfigOp(
            new ConfigEntry("routing.mode", ""), AlterConfigOp.OpType.DELETE)))).all()));
        assertThat(deleted).isInstanceOf(InvalidConfigurationException.class);
        Throwable fences = catchCause(() -> get(admin.incrementalAlterConfigs(Map.of(orders, List.of(new AlterConfigOp(
            new ConfigEntry("routing.fences", "3->4:0,0,0"), AlterConfigOp.OpType.SET)))).all()));
        assertThat(fences).isInstanceOf(InvalidConfigurationException.class);
        // Other keys still change.
        get(admin.incrementalAlterConfigs(Map.of(orders, List.of(new AlterConfigOp(
            new ConfigEntry("retention.ms", "60000"), AlterConfigOp.OpType.SET)))).all());
        assertThat(describe().get("retention.ms").value()).isEqualTo("60000");
        assertThat(describe().get("routing.mode").value()).isEqualTo("ordered");
    }

    @Test
    void plainTopicsShowTheHashModeAndNoFences() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("plain", 2, (short) 1))).all());
        ConfigResource plain = new ConfigResource(ConfigResource.Type.TOPIC, "plain");
        Config config = get(admin.describeConfigs(List.of(plain)).all()).get(plain);
        assertThat(config.get("routing.mode").value()).isEqualTo("hash");
        assertThat(config.get("routing.mode").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("routing.fences")).isNull();
        String misrouted = key(2, 1);
        assertThat(RawClient.errorOf(RawClient.onlyPartition(client.call(ApiKey.PRODUCE, V,
            RawClient.produce((short) -1, "plain", 0, batch(-1, (short) -1, -1, misrouted)))))).isZero();
    }

    interface Call {
        void run() throws Exception;
    }

    static Throwable catchCause(Call call) {
        try {
            call.run();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
