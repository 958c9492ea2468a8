package io.tributary.ops.bench;

import io.tributary.ops.OperationFailedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tributary bench ...}: hands every argument to the benchmark harness ({@code io.tributary.bench.BenchMain})
 * in a JVM of its own and returns its exit status.
 *
 * <p>Design note: a child JVM, not a call, because the harness drives brokers with Apache Kafka's client,
 * which must never be on the command line's own classpath (the CLI uses Tributary's clients only). The harness
 * jar is {@code tributary-bench.jar} beside the running jar (a distribution's {@code lib/}), or
 * {@code bench/target/tributary-bench.jar} in a source tree, or wherever {@code -Dtributary.bench.jar} says.
 */
@Command(name = "bench", description = {"Run the benchmark harness (storage, consume-rate, ...): tributary bench --help.",
    "Every argument goes to the harness."})
public final class BenchCommand implements Callable<Integer> {
    static final String JAR_PROPERTY = "tributary.bench.jar";
    static final String JAR_NAME = "tributary-bench.jar";

    @Parameters(paramLabel = "ARGS", arity = "0..*", description = "Arguments for the harness.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        Path jar = harnessJar();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", jar.toString()));
        command.addAll(args);
        if (args.isEmpty()) {
            command.add("--help");
        }
        try {
            return new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new OperationFailedException("Cannot start the benchmark harness " + jar + ": " + e.getMessage(), e);
        }
    }

    static Path harnessJar() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured != null) {
            candidates.add(Path.of(configured));
        } else {
            Path running = runningJar();
            if (running != null) {
                candidates.add(running.resolveSibling(JAR_NAME)); // lib/ of a distribution
                Path moduleTarget = running.getParent();
                if (moduleTarget != null && moduleTarget.getParent() != null && moduleTarget.getParent().getParent() != null) {
                    candidates.add(moduleTarget.getParent().getParent().resolve("bench").resolve("target").resolve(JAR_NAME));
                }
            }
            candidates.add(Path.of("bench", "target", JAR_NAME));
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new OperationFailedException("The benchmark harness is not built (looked for " + candidates
            + "); build it with: mvn -B -q -pl bench -am package -DskipTests");
    }

    private static Path runningJar() {
        try {
            Path location = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toString().endsWith(".jar") ? location : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
