package io.tributary.server.produce;

import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code compression.type} against librdkafka, through Debian's {@code kcat}: kcat produces with each codec into
 * topics configured for each codec (and {@code producer}); every stored batch carries the topic's codec (in a
 * {@code producer} topic, the codec librdkafka chose to send), and kcat (its consumer checking CRCs) reads back
 * exactly the keys, values and headers it sent, re-encoded to gzip, lz4 or zstd by the broker. kcat also reads what Apache
 * Kafka's producer sent into a re-encoding topic.
 *
 * <p>Skipped on a machine without kcat unless {@code CI=true}, where {@code .ci/run} installs it and the tests must
 * run (as the console's browser tests treat Chromium).
 */
class KcatCompressionTest {
    static final int RECORDS = 300;
    /** Generous for a loaded 2-core machine: one kcat run moves a few hundred small records. */
    static final long KCAT_TIMEOUT_SECONDS = 60;
    static BrokerFixture fixture;
    static Path kcat;

    @BeforeAll
    static void start() {
        kcat = findKcat();
        // CI (.ci/run, CI=true) installs kcat and must run these tests; a developer machine without it skips them.
        Assumptions.assumeTrue(kcat != null || "true".equals(System.getenv("CI")),
            "kcat is not installed (apt-get install kcat); skipping the librdkafka tests");
        assertThat(kcat).as("kcat on the PATH (CI=true: .ci/run installs it)").isNotNull();
        fixture = new BrokerFixture(Map.of());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    static Stream<Arguments> codecs() {
        List<Arguments> all = new ArrayList<>();
        for (String sent : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            for (String topic : List.of("producer", "uncompressed", "gzip", "lz4", "zstd")) {
                all.add(Arguments.of(sent, topic));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "kcat -z {0} into compression.type={1}")
    @MethodSource("codecs")
    void kcatReadsBackWhatItSentInTheTopicsCodec(String sent, String topicCodec) throws Exception {
        String topic = "kcat-" + sent + "-" + topicCodec;
        fixture.broker().logs().createTopic(topic, 1, Map.of("compression.type", topicCodec));
        StringBuilder input = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            input.append(key(i)).append('\t').append(value(i)).append('\n');
            expected.add(i + "|" + key(i) + "|" + value(i) + "|source=kcat,codec=" + sent);
        }
        run(input.toString(), "-P", "-b", fixture.bootstrap(), "-t", topic, "-p", "0", "-z", sent, "-K", "\t",
            "-H", "source=kcat", "-H", "codec=" + sent, "-X", "linger.ms=20");

        PartitionLog log = fixture.broker().logs().log(new TopicPartition(topic, 0));
        assertThat(log.logEndOffset()).isEqualTo(RECORDS);
        List<CompressionType> storedCodecs = StoredRecords.batches(log).stream().map(b -> RecordBatch.at(b, 0).compressionType()).toList();
        if (topicCodec.equals("producer")) {
            // Stored as sent. What librdkafka sends depends on its version: 2.0.2 (Debian 12's) gates gzip, snappy
            // and lz4 on Produce v2 and Fetch v2 (its "MsgVer1" feature); Kafka 4 (KIP-896) no longer offers Fetch
            // v2, nor does Tributary, so against either it sends those batches uncompressed, logging "Broker does not
            // support compression type" (checked against Kafka 4.3.1: the same feature set). zstd it gates on
            // Produce v7 and Fetch v10, which both offer.
            assertThat(storedCodecs).as("stored batches").isNotEmpty()
                .allMatch(codec -> codec == CompressionType.forName(sent) || codec == CompressionType.NONE);
            if (sent.equals("zstd")) {
                assertThat(storedCodecs).containsOnly(CompressionType.ZSTD);
            }
        } else {
            CompressionType stored = topicCodec.equals("uncompressed") ? CompressionType.NONE : CompressionType.forName(topicCodec);
            assertThat(storedCodecs).as("stored batches").isNotEmpty().containsOnly(stored);
        }
        assertThat(consume(topic)).containsExactlyElementsOf(expected);
    }

    @Test
    void kcatReadsWhatKafkasProducerSentIntoAReencodingTopic() throws Exception {
        String topic = "kcat-java-gzip-into-zstd";
        fixture.broker().logs().createTopic(topic, 1, Map.of("compression.type", "zstd"));
        Properties props = fixture.clientProperties();
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "4096");
        List<String> expected = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, key(i).getBytes(StandardCharsets.UTF_8),
                    value(i).getBytes(StandardCharsets.UTF_8));
                record.headers().add(new RecordHeader("index", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
                expected.add(i + "|" + key(i) + "|" + value(i) + "|index=" + i);
            }
            producer.flush();
        }
        assertThat(StoredRecords.batches(fixture.broker().logs().log(new TopicPartition(topic, 0))))
            .extracting(b -> RecordBatch.at(b, 0).compressionType()).containsOnly(CompressionType.ZSTD);
        assertThat(consume(topic)).containsExactlyElementsOf(expected);
    }

    /** Every record of partition 0 as "offset|key|value|headers", read by kcat from the start to the end. */
    private static List<String> consume(String topic) throws Exception {
        String out = run("", "-C", "-b", fixture.bootstrap(), "-t", topic, "-p", "0", "-o", "beginning", "-e", "-q",
            "-X", "check.crcs=true", "-f", "%o|%k|%s|%h\\n");
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    /** Runs kcat with {@code stdin}, bounded in time; its stdout, or a failure with its stderr. */
    private static String run(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(kcat.toString());
        command.addAll(List.of(args));
        Path err = Files.createTempFile("kcat", ".err");
        Path outFile = Files.createTempFile("kcat", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(outFile.toFile()).start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            boolean exited = process.waitFor(KCAT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(exited).as("kcat %s exits within %d s; stderr: %s", args, KCAT_TIMEOUT_SECONDS, Files.readString(err)).isTrue();
            assertThat(process.exitValue()).as("kcat %s exit code; stderr: %s", args, Files.readString(err)).isZero();
            return Files.readString(outFile, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
            Files.deleteIfExists(outFile);
        }
    }

    private static Path findKcat() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kcat");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String key(int i) {
        return "key-" + (i % 37);
    }

    /** Compressible but not trivial: repeated words with the index in them. */
    private static String value(int i) {
        return ("record " + i + " of the kcat run; ").repeat(1 + i % 5);
    }
}
