package io.tributary.bench;

import io.tributary.bench.clients.ConsumeRate;
import io.tributary.bench.cluster.ClusterCompareCommand;
import io.tributary.bench.clients.ConsumerComparison;
import io.tributary.bench.compare.CompareCommand;
import io.tributary.bench.compare.TlsCompareCommand;
import io.tributary.bench.compare.TxnCompareCommand;
import io.tributary.bench.harness.RunCommand;
import io.tributary.bench.micro.JmhCommand;
import io.tributary.bench.storage.StorageBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the benchmark jar: one subcommand per benchmark. */
@Command(name = "tributary-bench", mixinStandardHelpOptions = true,
    description = "Tributary benchmarks. Figures are ratios measured in one run on this machine.",
    subcommands = {RunCommand.class, CompareCommand.class, ClusterCompareCommand.class, TxnCompareCommand.class,
        TlsCompareCommand.class, StorageBench.class, ConsumeRate.class, ConsumerComparison.class,
        JmhCommand.class})
public final class BenchMain {
    public static void main(String[] args) {
        // The clients log every config at INFO; a benchmark's output is its progress lines and results.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
