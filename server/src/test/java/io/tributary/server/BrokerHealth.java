package io.tributary.server;

import io.tributary.log.LogManager;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For abuse tests: a topic with configs and records put in place before the abuse, a snapshot of
 * everything the broker holds, and a check that a well-behaved AdminClient is still served (read and
 * write requests) and that nothing held before has changed.
 */
public final class BrokerHealth {
    public static final String TOPIC = "precious";

    private final BrokerFixture fixture;
    private final Snapshot before;
    private int scratchTopics;

    /** Everything a test can compare: topics with ids, counts and overrides, and each partition's bytes. */
    public record Snapshot(Map<String, TopicMetadata> topics, Map<TopicPartition, byte[]> data, Map<TopicPartition, Long> ends) {
        /** Every topic of {@code earlier} is here unchanged, with the same records; topics created since do not matter. */
        void assertStillHolds(Snapshot earlier) {
            earlier.topics.forEach((name, topic) -> assertThat(topics.get(name)).as("topic %s", name).isEqualTo(topic));
            earlier.ends.forEach((tp, end) -> assertThat(ends.get(tp)).as("end offset of %s", tp).isEqualTo(end));
            earlier.data.forEach((tp, bytes) -> assertThat(data.get(tp)).as("bytes of %s", tp).isEqualTo(bytes));
        }
    }

    private BrokerHealth(BrokerFixture fixture) {
        this.fixture = fixture;
        this.before = snapshot(fixture.broker().logs());
    }

    /** Creates {@link #TOPIC} (2 partitions, one override) with three batches in each partition, through {@code admin}. */
    public static BrokerHealth prepare(BrokerFixture fixture, Admin admin) throws Exception {
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1).configs(Map.of("retention.ms", "86400000"))))
            .all().get(20, TimeUnit.SECONDS);
        LogManager logs = fixture.broker().logs();
        for (int p = 0; p < 2; p++) {
            PartitionLog log = logs.log(new TopicPartition(TOPIC, p));
            for (int batch = 0; batch < 3; batch++) {
                RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
                for (int r = 0; r < 5; r++) {
                    builder.append(1_700_000_000_000L + r, null,
                        ByteBuffer.wrap(("p" + p + "-b" + batch + "-r" + r).getBytes(StandardCharsets.UTF_8)));
                }
                log.append(builder.build(), 0);
            }
        }
        return new BrokerHealth(fixture);
    }

    public static Snapshot snapshot(LogManager logs) {
        Map<TopicPartition, byte[]> data = new HashMap<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (TopicMetadata topic : logs.topics().values()) {
            for (int p = 0; p < topic.partitionCount(); p++) {
                TopicPartition tp = new TopicPartition(topic.name(), p);
                PartitionLog log = logs.log(tp);
                ends.put(tp, log.logEndOffset());
                if (log.logEndOffset() > log.logStartOffset()) {
                    try (LogSlice slice = log.read(log.logStartOffset(), 1 << 20, true)) {
                        ByteBuffer bytes = slice.readIntoHeap();
                        byte[] copy = new byte[bytes.remaining()];
                        bytes.get(copy);
                        data.put(tp, copy);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return new Snapshot(logs.topics(), data, ends);
    }

    /**
     * {@code admin} (a connection opened before the abuse) still lists, describes, creates and deletes,
     * and everything that existed before is unchanged.
     */
    public void assertServingAndIntact(Admin admin) throws Exception {
        assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).contains(TOPIC);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        assertThat(admin.describeConfigs(List.of(resource)).all().get(20, TimeUnit.SECONDS).get(resource)
            .get("retention.ms").value()).isEqualTo("86400000");
        String scratch = "scratch-" + (++scratchTopics);
        admin.createTopics(List.of(new NewTopic(scratch, 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
        admin.deleteTopics(List.of(scratch)).all().get(20, TimeUnit.SECONDS);
        snapshot(fixture.broker().logs()).assertStillHolds(before);
    }

    /** Bytes of a request header v1/v2 up to (and including) the client id, for hand-made frames. */
    public static byte[] header(int apiKey, int apiVersion, int correlationId, boolean flexible) {
        byte[] clientId = "raw".getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(10 + clientId.length + (flexible ? 1 : 0));
        buffer.putShort((short) apiKey).putShort((short) apiVersion).putInt(correlationId)
            .putShort((short) clientId.length).put(clientId);
        if (flexible) {
            buffer.put((byte) 0); // no tagged fields
        }
        return buffer.array();
    }

    public static byte[] concat(byte[]... parts) {
        List<byte[]> list = new ArrayList<>(List.of(parts));
        int size = list.stream().mapToInt(b -> b.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        list.forEach(out::put);
        return out.array();
    }
}
