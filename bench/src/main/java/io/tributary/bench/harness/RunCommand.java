package io.tributary.bench.harness;

import io.tributary.bench.driver.BenchDriver;
import io.tributary.bench.report.RunReport;
import io.tributary.bench.report.RunResult;
import io.tributary.bench.workload.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code run}: runs workload files against any Kafka-protocol bootstrap and writes JSON, HTML and PNGs. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run workload files against a broker and write result.json, report.html and chart PNGs.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-server", required = true, description = "host:port of any Kafka-protocol broker.")
    String bootstrap;

    @Option(names = {"-w", "--workload"}, required = true, split = ",", description = "Workload files (see bench/workloads).")
    List<Path> workloads;

    @Option(names = "--driver", description = "Client library: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
        completionCandidates = DriverNames.class)
    String driver = "kafka";

    @Option(names = "--target", description = "Name of what is measured, for tables and charts (default: the bootstrap).")
    String target;

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results");

    @Override
    public Integer call() throws Exception {
        List<Workload> parsed = new ArrayList<>();
        for (Path file : workloads) {
            parsed.add(Workload.read(file));
        }
        String name = target != null ? target : bootstrap;
        List<RunResult> results = new ArrayList<>();
        try (BenchDriver client = BenchDriver.open(driver, bootstrap)) {
            WorkloadRunner runner = new WorkloadRunner(client, name, System.out::println);
            for (Workload w : parsed) {
                results.add(runner.run(w));
            }
        }
        Path page = RunReport.write(out, "Benchmark of " + name, results);
        results.forEach(r -> System.out.println(String.join("  ", RunReport.summaryRow(r))));
        System.out.println("wrote " + out.resolve("result.json") + " and " + page);
        return results.stream().anyMatch(r -> r.errors() > 0 || r.missing() > 0) ? 2 : 0;
    }

    /** For picocli's list of accepted values. */
    static final class DriverNames extends ArrayList<String> {
        DriverNames() {
            super(BenchDriver.NAMES);
        }
    }
}
