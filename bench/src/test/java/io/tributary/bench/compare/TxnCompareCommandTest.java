package io.tributary.bench.compare;

import io.tributary.server.BrokerFixture;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TxnCompareCommandTest {

    @Test
    void theArgumentsReachTheCommandAndBadOnesAreRefused() {
        TxnCompareCommand command = new TxnCompareCommand();
        new CommandLine(command).parseArgs("--rounds", "3", "--transaction-sizes", "10,500", "--record-size", "100",
            "--warmup", "0", "--duration", "2", "--out", "target/x");
        command.validate();
        assertThat(command.rounds).isEqualTo(3);
        assertThat(command.transactionSizes).containsExactly(10, 500);
        assertThat(command.recordSize).isEqualTo(100);
        assertThat(command.out).isEqualTo(Path.of("target/x"));

        TxnCompareCommand defaults = new TxnCompareCommand();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.transactionSizes).containsExactly(100, 1000);
        assertThat(defaults.recordSize).isEqualTo(1024);
        assertThat(defaults.builds.jvmFlags).isEqualTo(BrokerBuilds.DEFAULT_JVM_FLAGS);

        TxnCompareCommand zero = new TxnCompareCommand();
        new CommandLine(zero).parseArgs("--transaction-sizes", "0");
        assertThatThrownBy(zero::validate).hasMessageContaining("--transaction-sizes [0]");
        TxnCompareCommand noWindow = new TxnCompareCommand();
        new CommandLine(noWindow).parseArgs("--duration", "0");
        assertThatThrownBy(noWindow::validate).hasMessageContaining("--duration 0");
    }

    @Test
    void theFiguresOfOneTransactionSizeComeFromItsCountsAndHistogram() {
        Histogram commits = new Histogram(60_000_000, 3);
        for (int i = 1; i <= 100; i++) {
            commits.recordValue(i * 1000L); // 1 .. 100 ms
        }
        ClientLoad.Consumed readBack = new ClientLoad.Consumed(11_900, 11_900 * 1024L, 0.5);
        Map<String, Double> figures = new TxnCompareCommand.Transactions(100, 10_000, 100, 2.0, commits, 12_000, readBack).figures(1024);

        assertThat(figures).containsEntry("transactions of 100: produce (records/s)", 5000.0)
            .containsEntry("transactions of 100: transactions committed in the window", 100.0)
            .containsEntry("transactions of 100: read_committed consume (records/s)", 23_800.0)
            .containsEntry("transactions of 100: committed records not read back", 100.0);
        assertThat(figures.get("transactions of 100: produce (MB/s)")).isCloseTo(5.12, within(1e-9));
        assertThat(figures.get("transactions of 100: commit latency p50 (ms)")).isCloseTo(50, within(0.1));
        assertThat(figures.get("transactions of 100: commit latency p99 (ms)")).isCloseTo(99, within(0.1));

        RoundTable table = new RoundTable("kafka");
        table.add("kafka", 1, figures);
        assertThat(new TxnCompareCommand().report(table, "then")).contains("transactions, then")
            .contains("1024 B records, 6 partitions, 5 s warm-up + 20 s measured")
            .contains("| transactions of 100: commit latency p99 (ms) |");
    }

    @Test
    void aShortTransactionalRunCommitsWholeTransactionsAndReadsEveryCommittedRecordBack() throws Exception {
        TxnCompareCommand command = new TxnCompareCommand();
        new CommandLine(command).parseArgs("--warmup", "0", "--duration", "1", "--record-size", "64", "--partitions", "2");
        try (BrokerFixture broker = new BrokerFixture()) {
            TxnCompareCommand.Transactions t = command.run(broker.bootstrap(), "test", 10);

            assertThat(t.transactions()).isPositive();
            assertThat(t.committedRecords()).isEqualTo(10 * t.transactions());
            assertThat(t.totalCommitted()).isGreaterThanOrEqualTo(t.committedRecords()).isEqualTo(t.readBack().records());
            assertThat(t.readBack().bytes()).isEqualTo(64 * t.totalCommitted());
            assertThat(t.commitMicros().getTotalCount()).isEqualTo(t.transactions());
            assertThat(t.figures(64)).containsEntry("transactions of 10: committed records not read back", 0.0);
        }
    }
}
