package io.tributary.ops.console;

import io.tributary.ops.CommandRun;
import io.tributary.ops.Tributary;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tributary produce} with Tributary's producer: lines become records (keys split off, headers added,
 * every codec), read back with {@code tributary consume}; bad input gets its message and exit status.
 */
class ProduceCommandTest {
    private static final String TOPIC = "typed";

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void linesBecomeRecordsWithKeysAndHeadersInEveryCodec() {
        fixture.broker().logs().createTopic(TOPIC, 1, Map.of());
        String b = fixture.bootstrap();
        int expected = 0;
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            CommandRun produce = CommandRun.withInput("a:1-" + codec + "\nb:2-" + codec + "\n", "produce", TOPIC, "-b", b,
                "--key-separator", ":", "--header", "codec=" + codec, "--compression", codec);
            assertThat(produce.exit()).as(produce.toString()).isZero();
            assertThat(produce.out()).isEqualTo("Produced 2 record(s) to " + TOPIC + " (partition 0 offsets " + expected + "-"
                + (expected + 1) + ").\n");
            expected += 2;
        }
        CommandRun consume = CommandRun.of("consume", TOPIC, "-b", b, "--from-beginning", "-n", "10", "-f", "{key}={value} {headers}");
        assertThat(consume.out().lines()).containsExactly("a=1-none codec=none", "b=2-none codec=none", "a=1-gzip codec=gzip",
            "b=2-gzip codec=gzip", "a=1-snappy codec=snappy", "b=2-snappy codec=snappy", "a=1-lz4 codec=lz4", "b=2-lz4 codec=lz4",
            "a=1-zstd codec=zstd", "b=2-zstd codec=zstd");

        CommandRun acksOne = CommandRun.withInput("plain\n", "produce", TOPIC, "-b", b, "--acks", "1", "-o", "json");
        assertThat(acksOne.out()).isEqualTo("{\"topic\":\"typed\",\"records\":1,\"partitions\":[{\"partition\":0,\"firstOffset\":10,\"lastOffset\":10}]}\n");
    }

    @Test
    void badInputIsAnsweredInOneLineWithTheRightExitStatus() {
        fixture.broker().logs().createTopic(TOPIC, 1, Map.of());
        String b = fixture.bootstrap();

        CommandRun missing = CommandRun.withInput("x\n", "produce", "absent", "-b", b);
        assertThat(missing.exit()).isEqualTo(Tributary.FAILED);
        assertThat(missing.err()).isEqualTo("error: topic absent does not exist\n");
        assertThat(fixture.broker().logs().topic("absent")).isNull();

        CommandRun noSeparator = CommandRun.withInput("k:v\nno separator here\n", "produce", TOPIC, "-b", b, "-k", ":");
        assertThat(noSeparator.exit()).isEqualTo(Tributary.FAILED);
        assertThat(noSeparator.err()).isEqualTo("error: line 2 has no key separator ':': no separator here\n");

        for (List<String> bad : List.of(
            List.of("produce", TOPIC, "-b", b, "--acks", "2"),
            List.of("produce", TOPIC, "-b", b, "--compression", "brotli"),
            List.of("produce", TOPIC, "-b", b, "--header", "novalue"),
            List.of("produce", TOPIC, "-b", b, "--property", "batch.size=-1"),
            List.of("produce", TOPIC, "-b", b, "--partition", "x"))) {
            CommandRun run = CommandRun.withInput("x\n", bad.toArray(String[]::new));
            assertThat(run.exit()).as("%s: %s", bad, run).isEqualTo(Tributary.USAGE);
            assertThat(run.err()).as("%s", bad).startsWith("error: ").doesNotContain("Exception", "\tat ");
        }
        assertThat(fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(TOPIC, 0)).logEndOffset()).isEqualTo(1);
    }
}
