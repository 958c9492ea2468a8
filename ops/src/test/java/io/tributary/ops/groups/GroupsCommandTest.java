package io.tributary.ops.groups;

import io.tributary.ops.CommandRun;
import io.tributary.ops.Tributary;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tributary groups} against an in-process broker: every kind of offset reset, dry run and execute,
 * list and delete, and the answers to bad input.
 */
class GroupsCommandTest {
    private static final String TOPIC = "ticks";

    private final BrokerFixture fixture = new BrokerFixture(Map.of("group.initial.rebalance.delay.ms", "0"));
    private final String b = fixture.bootstrap();

    @AfterEach
    void stop() {
        fixture.close();
    }

    private CommandRun run(String... args) {
        String[] withBroker = new String[args.length + 2];
        System.arraycopy(args, 0, withBroker, 0, args.length);
        withBroker[args.length] = "-b";
        withBroker[args.length + 1] = b;
        return CommandRun.of(withBroker);
    }

    /** Ten records at timestamps 1000..10000 in partition 0, and group "g" committed at offset 6. */
    private void tenRecordsAndACommit() throws Exception {
        fixture.broker().logs().createTopic(TOPIC, 1, Map.of());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(fixture.clientProperties(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, 1000L * (i + 1), null, "t-" + i)).get();
            }
        }
        assertThat(run("consume", TOPIC, "--group", "g", "--from-beginning", "-n", "6").exit()).isZero();
    }

    private String newOffset(String... resetArgs) {
        String[] args = new String[resetArgs.length + 4];
        args[0] = "groups";
        args[1] = "reset-offsets";
        args[2] = "g";
        args[3] = "--topic=" + TOPIC;
        System.arraycopy(resetArgs, 0, args, 4, resetArgs.length);
        CommandRun run = run(args);
        assertThat(run.exit()).as(run.toString()).isZero();
        String row = run.out().lines().filter(l -> l.startsWith(TOPIC)).findFirst().orElseThrow();
        String[] cells = row.trim().split("\\s+");
        return cells[2] + "->" + cells[3];
    }

    @Test
    void everyResetKindPlansAndExecutes() throws Exception {
        tenRecordsAndACommit();
        assertThat(newOffset("--to-earliest")).isEqualTo("6->0");
        assertThat(newOffset("--to-latest")).isEqualTo("6->10");
        assertThat(newOffset("--to-offset", "3")).isEqualTo("6->3");
        assertThat(newOffset("--to-offset", "99")).isEqualTo("6->10");
        assertThat(newOffset("--shift-by", "-2")).isEqualTo("6->4");
        assertThat(newOffset("--shift-by", "+100")).isEqualTo("6->10");
        assertThat(newOffset("--to-datetime", "1970-01-01T00:00:04.500Z")).isEqualTo("6->4");
        assertThat(newOffset("--by-duration", "P1D")).as("every record is from 1970: none in the last day, so the end").isEqualTo("6->10");
        assertThat(newOffset("--by-duration", "PT999999H")).as("a duration reaching back past 1970").isEqualTo("6->0");
        assertThat(fixture.broker().groupCoordinator().snapshot("g").get().offset(TOPIC, 0)).as("all dry runs").isEqualTo(6L);

        assertThat(newOffset("--shift-by", "-5", "--execute")).isEqualTo("6->1");
        assertThat(fixture.broker().groupCoordinator().snapshot("g").get().offset(TOPIC, 0)).isEqualTo(1L);
        CommandRun json = run("groups", "reset-offsets", "g", "--topic", TOPIC + ":0", "--to-latest", "--execute", "-o", "json");
        assertThat(json.out()).isEqualTo("{\"group\":\"g\",\"reset\":\"to-latest\",\"executed\":true,\"partitions\":"
            + "[{\"topic\":\"ticks\",\"partition\":0,\"previousOffset\":1,\"newOffset\":10}]}\n");

        assertThat(run("groups", "list").out()).containsPattern("g\\s+Empty\\s+consumer");
        assertThat(run("groups", "delete", "g").out()).isEqualTo("Deleted group g.\n");
        assertThat(run("groups", "list").out()).doesNotContainPattern("(?m)^g\\s");
    }

    @Test
    void badInputGetsItsMessageAndExitStatus() throws Exception {
        tenRecordsAndACommit();
        CommandRun missing = run("groups", "describe", "nobody");
        assertThat(missing.exit()).isEqualTo(Tributary.FAILED);
        assertThat(missing.err()).isEqualTo("error: group nobody does not exist\n");

        CommandRun missingTopic = run("groups", "reset-offsets", "g", "--topic", "ghost", "--to-earliest");
        assertThat(missingTopic.exit()).isEqualTo(Tributary.FAILED);
        assertThat(missingTopic.err()).startsWith("error: ").contains("ghost");

        for (List<String> usage : List.of(
            List.of("groups", "reset-offsets", "g", "--topic", TOPIC),
            List.of("groups", "reset-offsets", "g", "--topic", TOPIC, "--to-earliest", "--to-latest"),
            List.of("groups", "reset-offsets", "g", "--topic", TOPIC, "--by-duration", "a while"),
            List.of("groups", "reset-offsets", "g", "--topic", TOPIC, "--to-offset", "-1"),
            List.of("groups", "reset-offsets", "g", "--topic", TOPIC, "--to-earliest", "--dry-run", "--execute"),
            List.of("groups", "reset-offsets", "g", "--to-earliest"),
            List.of("groups", "describe"))) {
            CommandRun bad = run(usage.toArray(String[]::new));
            assertThat(bad.exit()).as("%s: %s", usage, bad).isEqualTo(Tributary.USAGE);
            assertThat(bad.err()).as("%s", usage).startsWith("error: ").doesNotContain("\tat ");
        }
    }
}
