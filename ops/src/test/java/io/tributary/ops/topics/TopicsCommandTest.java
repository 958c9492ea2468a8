package io.tributary.ops.topics;

import io.tributary.ops.CommandRun;
import io.tributary.ops.Tributary;
import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tributary topics} against an in-process broker, and its answers to bad input. */
class TopicsCommandTest {
    private final BrokerFixture fixture = new BrokerFixture();
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

    @Test
    void createDescribeAlterListAndDelete() {
        CommandRun created = run("topics", "create", "events", "--partitions", "2", "--config", "retention.ms=3600000");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).startsWith("Created topic events with 2 partition(s), topic id ").endsWith(", configs {retention.ms=3600000}.\n");
        assertThat(fixture.broker().logs().topic("events").partitionCount()).isEqualTo(2);

        CommandRun described = run("topics", "describe", "events");
        assertThat(described.exit()).as(described.toString()).isZero();
        assertThat(described.out()).contains("Topic events: 2 partition(s)", "Configs (overrides): {retention.ms=3600000}")
            .containsPattern("\\n\\s*0\\s+0\\s+\\[0\\]\\s+\\[0\\]\\s+0\\s+0\\s+0\\n");

        CommandRun altered = run("topics", "alter", "events", "--partitions", "4", "--config", "cleanup.policy=compact",
            "--delete-config", "retention.ms");
        assertThat(altered.exit()).as(altered.toString()).isZero();
        assertThat(altered.out()).isEqualTo("Altered topic events: set {cleanup.policy=compact}; removed [retention.ms]; now 4 partitions.\n");
        assertThat(run("topics", "describe", "events", "-o", "json").out())
            .contains("\"configs\":{\"cleanup.policy\":\"compact\"}").contains("\"partition\":3");

        assertThat(run("topics", "list").out()).containsPattern("events\\s+4\\s").doesNotContain("__consumer_offsets");
        fixture.awaitOffsetsTopic(); // created on the first group coordinator look-up, not at start
        assertThat(run("topics", "list", "--include-internal").out()).contains("__consumer_offsets (internal)");
        assertThat(run("topics", "list", "--output", "json").out()).contains("{\"name\":\"events\",\"partitions\":4,");

        CommandRun deleted = run("topics", "delete", "events");
        assertThat(deleted.out()).isEqualTo("Deleted topic events.\n");
        assertThat(fixture.broker().logs().topic("events")).isNull();
    }

    @Test
    void badInputGetsItsMessageAndExitStatus() throws Exception {
        assertThat(run("topics", "create", "dup", "--partitions", "1").exit()).isZero();
        CommandRun again = run("topics", "create", "dup", "--partitions", "1");
        assertThat(again.exit()).isEqualTo(Tributary.FAILED);
        assertThat(again.err()).startsWith("error: ").contains("dup").contains("already exists");

        CommandRun missing = run("topics", "describe", "ghost");
        assertThat(missing.exit()).isEqualTo(Tributary.FAILED);
        assertThat(missing.err()).startsWith("error: ").contains("ghost");

        CommandRun fewer = run("topics", "alter", "dup", "--partitions", "1");
        assertThat(fewer.exit()).isEqualTo(Tributary.FAILED);
        assertThat(fewer.err()).startsWith("error: ").contains("dup");

        CommandRun badConfig = run("topics", "create", "bad", "--config", "retention.ms=soon");
        assertThat(badConfig.exit()).isEqualTo(Tributary.FAILED);
        assertThat(badConfig.err()).startsWith("error: ").contains("retention.ms", "soon");

        for (List<String> usage : List.of(
            List.of("topics"), List.of("topics", "frob"), List.of("topics", "create", "x", "--partitions", "0"),
            List.of("topics", "create", "x", "--partitions", "many"), List.of("topics", "create", "x", "--config", "nokey"),
            List.of("topics", "alter", "dup"))) {
            CommandRun bad = run(usage.toArray(String[]::new));
            assertThat(bad.exit()).as("%s: %s", usage, bad).isEqualTo(Tributary.USAGE);
            assertThat(bad.err()).as("%s", usage).startsWith("error: ");
        }

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CommandRun unreachable = CommandRun.of("topics", "list", "--bootstrap-server", "127.0.0.1:" + closedPort);
        assertThat(unreachable.exit()).isEqualTo(Tributary.FAILED);
        assertThat(unreachable.err()).isEqualTo("error: cannot reach broker at 127.0.0.1:" + closedPort + " (connection refused)\n");
    }
}
