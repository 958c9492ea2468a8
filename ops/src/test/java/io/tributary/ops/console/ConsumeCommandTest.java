package io.tributary.ops.console;

import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.ops.CommandRun;
import io.tributary.ops.Tributary;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tributary consume} with Tributary's consumer against an in-process broker: every start position,
 * the format template, JSON lines, a group that commits exactly what was printed, and bad input.
 */
class ConsumeCommandTest {
    private static final String TOPIC = "lines";

    private final BrokerFixture fixture = new BrokerFixture(Map.of("group.initial.rebalance.delay.ms", "0"));

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Records 0..count-1 into partition 0 with keys k-i, values v-i, timestamps 1000*(i+1), a header h=i. */
    private void produce(int count) throws Exception {
        fixture.broker().logs().createTopic(TOPIC, 2, Map.of());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(fixture.clientProperties(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, 0, 1000L * (i + 1), "k-" + i, "v-" + i);
                record.headers().add("h", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
            }
        }
    }

    @Test
    void readsFromEveryKindOfStartInTheTemplateAsked() throws Exception {
        produce(5);
        String b = fixture.bootstrap();

        CommandRun all = CommandRun.of("consume", TOPIC, "-b", b, "--from-beginning", "-n", "5", "--format", "{partition}:{offset} {key}={value} [{headers}]");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.out().lines()).containsExactly("0:0 k-0=v-0 [h=0]", "0:1 k-1=v-1 [h=1]", "0:2 k-2=v-2 [h=2]",
            "0:3 k-3=v-3 [h=3]", "0:4 k-4=v-4 [h=4]");

        CommandRun fromOffset = CommandRun.of("consume", TOPIC, "-b", b, "--partition", "0", "--offset", "3", "-n", "2");
        assertThat(fromOffset.out().lines()).containsExactly("v-3", "v-4");

        CommandRun fromTime = CommandRun.of("consume", TOPIC, "-b", b, "--from-time", "1970-01-01T00:00:04Z", "-n", "2", "-f", "{timestamp}\\t{value}");
        assertThat(fromTime.out().lines()).containsExactly("4000\tv-3", "5000\tv-4");

        CommandRun idle = CommandRun.of("consume", TOPIC, "-b", b, "--timeout-ms", "500");
        assertThat(idle.exit()).isZero();
        assertThat(idle.out()).isEmpty(); // from the end by default: nothing new arrives

        CommandRun json = CommandRun.of("consume", TOPIC, "-b", b, "--from-beginning", "-n", "1", "--output", "json");
        assertThat(json.out()).isEqualTo("{\"topic\":\"lines\",\"partition\":0,\"offset\":0,\"timestamp\":1000,\"key\":\"k-0\","
            + "\"value\":\"v-0\",\"headers\":{\"h\":\"0\"}}\n");
    }

    @Test
    void aGroupCommitsExactlyWhatWasPrinted() throws Exception {
        produce(5);
        String b = fixture.bootstrap();

        CommandRun first = CommandRun.of("consume", TOPIC, "-b", b, "--group", "readers", "--from-beginning", "-n", "3");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.out().lines()).containsExactly("v-0", "v-1", "v-2");
        GroupSnapshot group = fixture.broker().groupCoordinator().snapshot("readers").get();
        assertThat(group.offset(TOPIC, 0)).isEqualTo(3L);

        CommandRun rest = CommandRun.of("consume", TOPIC, "-b", b, "--group", "readers", "-n", "2");
        assertThat(rest.out().lines()).containsExactly("v-3", "v-4");
        assertThat(fixture.broker().groupCoordinator().snapshot("readers").get().offset(TOPIC, 0)).isEqualTo(5L);
    }

    @Test
    void badInputIsAnsweredInOneLineWithTheRightExitStatus() throws Exception {
        fixture.broker().logs().createTopic(TOPIC, 1, Map.of());
        String b = fixture.bootstrap();

        CommandRun missing = CommandRun.of("consume", "no-such-topic", "-b", b, "-n", "1");
        assertThat(missing.exit()).isEqualTo(Tributary.FAILED);
        assertThat(missing.err()).isEqualTo("error: topic no-such-topic does not exist\n");
        assertThat(fixture.broker().logs().topic("no-such-topic")).as("not auto-created").isNull();

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CommandRun unreachable = CommandRun.of("consume", TOPIC, "-b", "127.0.0.1:" + closedPort, "-n", "1");
        assertThat(unreachable.exit()).isEqualTo(Tributary.FAILED);
        assertThat(unreachable.err()).isEqualTo("error: cannot reach broker at 127.0.0.1:" + closedPort + " (connection refused)\n");

        for (List<String> bad : List.of(
            List.of("consume", TOPIC, "-b", "nowhere"),
            List.of("consume", TOPIC, "-b", b, "--max-messages", "none"),
            List.of("consume", TOPIC, "-b", b, "--max-messages", "0"),
            List.of("consume", TOPIC, "-b", b, "--from-time", "yesterday"),
            List.of("consume", TOPIC, "-b", b, "--from-beginning", "--offset", "2"),
            List.of("consume", TOPIC, "-b", b, "--group", "g", "--offset", "2"),
            List.of("consume", TOPIC, "-b", b, "--format", "{nope}"),
            List.of("consume", TOPIC, "-b", b, "--property", "fetch.max.wait.ms=-5"))) {
            CommandRun run = CommandRun.of(bad.toArray(String[]::new));
            assertThat(run.exit()).as("%s: %s", bad, run).isEqualTo(Tributary.USAGE);
            assertThat(run.err()).as("%s", bad).startsWith("error: ").doesNotContain("Exception", "\tat ");
        }
        CommandRun noPartition = CommandRun.of("consume", TOPIC, "-b", b, "--partition", "7", "-n", "1");
        assertThat(noPartition.exit()).isEqualTo(Tributary.FAILED);
        assertThat(noPartition.err()).isEqualTo("error: topic lines has no partition 7 (it has 1)\n");
    }
}
