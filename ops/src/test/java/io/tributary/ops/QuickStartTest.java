package io.tributary.ops;

import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import io.tributary.server.metrics.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start, command by command, against an in-process broker: create a topic, produce three
 * lines, consume them, let a group commit, see its lag at 0, produce two more and see lag 2, reset the group to
 * the earliest offsets, and consume all five again in the group. The broker's /metrics agrees on what went in.
 */
class QuickStartTest {
    private final BrokerFixture fixture = new BrokerFixture(Map.of(
        "group.initial.rebalance.delay.ms", "0",
        ServerConfig.METRICS_LISTENER, "127.0.0.1:0"));
    private final String b = fixture.bootstrap();

    @AfterEach
    void stop() {
        fixture.close();
    }

    private CommandRun ok(String input, String... args) {
        String[] withBroker = new String[args.length + 2];
        System.arraycopy(args, 0, withBroker, 0, args.length);
        withBroker[args.length] = "-b";
        withBroker[args.length + 1] = b;
        CommandRun run = CommandRun.withInput(input, withBroker);
        assertThat(run.exit()).as("tributary %s: %s", String.join(" ", args), run).isZero();
        assertThat(run.err()).as("tributary %s", String.join(" ", args)).isEmpty();
        return run;
    }

    @Test
    void theQuickStartWorksEndToEnd() {
        assertThat(ok("", "topics", "create", "orders", "--partitions", "3").out())
            .startsWith("Created topic orders with 3 partition(s)");
        assertThat(ok("", "topics", "list").out()).containsPattern("orders\\s+3\\s+[0-9a-f-]{36}");

        ok("order-1:created\norder-2:created\norder-3:paid\n", "produce", "orders", "--key-separator", ":");
        assertThat(ok("", "consume", "orders", "--from-beginning", "--max-messages", "3", "--format", "{key} {value}").out().lines())
            .containsExactlyInAnyOrder("order-1 created", "order-2 created", "order-3 paid");

        assertThat(ok("", "consume", "orders", "--group", "billing", "--from-beginning", "--max-messages", "3").out().lines())
            .containsExactlyInAnyOrder("created", "created", "paid");
        CommandRun described = ok("", "groups", "describe", "billing");
        assertThat(described.out()).contains("Group billing: Empty").contains("Total lag: 0 over 3 partition(s)");

        ok("order-4:shipped\norder-5:paid\n", "produce", "orders", "-k", ":");
        assertThat(ok("", "groups", "describe", "billing").out()).contains("Total lag: 2 over 3 partition(s)");
        assertThat(ok("", "groups", "describe", "billing", "--output", "json").out()).contains("\"totalLag\":2");

        CommandRun dryRun = ok("", "groups", "reset-offsets", "billing", "--topic", "orders", "--to-earliest");
        assertThat(dryRun.out()).contains("Dry run: nothing committed.");
        assertThat(dryRun.out().lines().filter(l -> l.startsWith("orders")).map(l -> l.trim().split("\\s+")[3])).containsOnly("0");
        assertThat(ok("", "groups", "describe", "billing").out()).contains("Total lag: 2");
        ok("", "groups", "reset-offsets", "billing", "--topic", "orders", "--to-earliest", "--execute");
        assertThat(ok("", "groups", "describe", "billing").out()).contains("Total lag: 5");

        assertThat(ok("", "consume", "orders", "--group", "billing", "--max-messages", "5", "--format", "{key} {value}").out().lines())
            .containsExactlyInAnyOrder("order-1 created", "order-2 created", "order-3 paid", "order-4 shipped", "order-5 paid");
        assertThat(ok("", "groups", "describe", "billing").out()).contains("Total lag: 0 over 3 partition(s)");

        PrometheusText metrics = PrometheusText.scrape("127.0.0.1:" + fixture.broker().metricsAddress().getPort());
        assertThat(metrics.value("tributary_topic_records_in_total", "topic", "orders")).isEqualTo(5);
        assertThat(metrics.sum("tributary_group_lag", "group", "billing", "topic", "orders")).isZero();
        assertThat(metrics.sum("tributary_group_committed_offset", "group", "billing", "topic", "orders")).isEqualTo(5);
    }
}
