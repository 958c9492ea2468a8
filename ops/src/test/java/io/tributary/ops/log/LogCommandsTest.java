package io.tributary.ops.log;

import io.tributary.ops.CommandRun;
import io.tributary.ops.Tributary;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tributary log dump} and {@code log verify} on segments a real broker wrote: the batches Kafka's producer
 * sent are listed with their offsets and a passing CRC; one byte flipped inside a batch is reported as that
 * batch's CRC failure (exit 2) while the batches after it are still listed.
 */
class LogCommandsTest {
    private static final String TOPIC = "dumped";

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Three batches of 1, 2 and 3 records in partition 0, then a clean stop (indices trimmed). */
    private Path writeThreeBatches() throws Exception {
        fixture.broker().logs().createTopic(TOPIC, 1, Map.of("index.interval.bytes", "1"));
        Properties props = fixture.clientProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "60000"); // each flush() sends what was queued as one batch
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            int n = 0;
            for (int batch = 1; batch <= 3; batch++) {
                for (int i = 0; i < batch; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, "key-" + n, "value-" + n));
                    n++;
                }
                producer.flush();
            }
        }
        fixture.broker().close();
        return fixture.dataDir().resolve(TOPIC + "-0").resolve("00000000000000000000.log");
    }

    @Test
    void dumpListsTheBatchesTheBrokerWroteAndFindsNoProblem() throws Exception {
        Path segment = writeThreeBatches();

        CommandRun run = CommandRun.of("log", "dump", segment.toString(), "--records");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("base offset 0", "3 batches, 6 records", "No problems found.");
        assertThat(run.out().lines().filter(l -> l.matches("\\s*\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+none\\s.*\\sok$")))
            .hasSize(3);
        assertThat(run.out()).contains("key-0", "value-5");
        assertThat(run.out()).containsPattern("Offset index 00000000000000000000.index: 2 entries\n"); // batches 2 and 3: the first is found from the segment start

        CommandRun json = CommandRun.of("log", "dump", segment.toString(), "--output", "json");
        assertThat(json.exit()).isZero();
        assertThat(json.out()).startsWith("{\"file\":").contains("\"baseOffset\":3,\"lastOffset\":5,\"records\":3")
            .contains("\"problems\":[]").doesNotContain("\"crcValid\":false");

        CommandRun verify = CommandRun.of("log", "verify", fixture.dataDir().toString());
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).containsPattern(TOPIC + "-0\\s+1\\s+3\\s+6\\s+0\\s+6\\s+\\d+\\s+ok").contains("no problems found.");
    }

    @Test
    void aFlippedByteIsReportedAsTheCrcFailureOfItsBatch() throws Exception {
        Path segment = writeThreeBatches();
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        int secondBatch = 12 + bytes.getInt(8); // first batch's size: 12-byte prefix + its length field
        int flipAt = secondBatch + 61 + 5;      // inside the second batch's records
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (bytes.get(flipAt) ^ 0x40)}), flipAt);
        }

        CommandRun run = CommandRun.of("log", "dump", segment.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(Tributary.FAILED);
        assertThat(run.out()).contains("3 batches", "1 problem(s):",
            "CRC failure: batch at position " + secondBatch + " (offsets 1-2)");
        assertThat(run.out().lines().filter(l -> l.endsWith(" FAILED"))).hasSize(1);
        assertThat(run.out().lines().filter(l -> l.endsWith(" ok"))).hasSize(2);
        assertThat(run.err()).isEmpty();

        CommandRun verify = CommandRun.of("log", "verify", fixture.dataDir().resolve(TOPIC + "-0").toString(), "-o", "json");
        assertThat(verify.exit()).isEqualTo(Tributary.FAILED);
        assertThat(verify.out()).contains("\"ok\":false", "CRC failure: batch at position " + secondBatch);
    }

    @Test
    void aDamagedIndexEntryIsReported() throws Exception {
        Path segment = writeThreeBatches();
        Path index = segment.resolveSibling("00000000000000000000.index");
        try (FileChannel channel = FileChannel.open(index, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).putInt(0, 7), 4); // entry 0's position: inside the first batch
        }

        CommandRun run = CommandRun.of("log", "dump", segment.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(Tributary.FAILED);
        assertThat(run.out()).contains("offset index entry 0 (offset 2, position 7) does not point at the start of a batch");
    }

    @Test
    void theActiveSegmentOfARunningBrokerShowsItsPreallocatedIndices() throws Exception {
        fixture.broker().logs().createTopic(TOPIC, 1, Map.of());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(fixture.clientProperties(), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v")).get();
        }
        Path segment = fixture.dataDir().resolve(TOPIC + "-0").resolve("00000000000000000000.log");

        CommandRun run = CommandRun.of("log", "dump", segment.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("1 batches, 1 records",
            "Offset index 00000000000000000000.index: 0 entries, then preallocated space", "No problems found.");
    }

    @Test
    void badInputGetsAMessageAndTheRightExitStatus(@TempDir Path dir) throws Exception {
        Path notASegment = Files.writeString(dir.resolve("notes.txt"), "hello");
        CommandRun wrongName = CommandRun.of("log", "dump", notASegment.toString());
        assertThat(wrongName.exit()).isEqualTo(Tributary.FAILED);
        assertThat(wrongName.err()).isEqualTo("error: " + notASegment + " is not a segment file: expected a name like 00000000000000000000.log\n");

        Path garbage = Files.write(dir.resolve("00000000000000000000.log"), new byte[] {1, 2, 3});
        CommandRun torn = CommandRun.of("log", "dump", garbage.toString());
        assertThat(torn.exit()).isEqualTo(Tributary.FAILED);
        assertThat(torn.out()).contains("framing error at position 0: 3 trailing bytes are fewer than a batch header");

        CommandRun missing = CommandRun.of("log", "verify", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(Tributary.FAILED);
        assertThat(missing.err()).isEqualTo("error: No directory " + dir.resolve("nope") + "\n");

        CommandRun badFormat = CommandRun.of("log", "dump", garbage.toString(), "--output", "xml");
        assertThat(badFormat.exit()).isEqualTo(Tributary.USAGE);
        assertThat(badFormat.err()).contains("--output", "xml").doesNotContain("Exception");
    }
}
