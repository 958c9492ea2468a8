package io.tributary.bench;

import io.tributary.bench.clients.ConsumeRate;
import io.tributary.bench.clients.ConsumerComparison;
import io.tributary.bench.storage.StorageBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the benchmark jar: one subcommand per benchmark. */
@Command(name = "tributary-bench", mixinStandardHelpOptions = true,
    description = "Tributary benchmarks. Figures are ratios measured in one run on this machine.",
    subcommands = {StorageBench.class, ConsumeRate.class, ConsumerComparison.class})
public final class BenchMain {
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
