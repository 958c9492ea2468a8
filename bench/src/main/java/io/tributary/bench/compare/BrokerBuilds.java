package io.tributary.bench.compare;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The two brokers every side-by-side command starts, as a picocli mixin: Apache Kafka's server jars, Tributary's broker
 * jar and the JVM flags both get. Both brokers get Kafka's own default flags unless told otherwise, so a ratio compares
 * the brokers and not their heaps.
 */
public final class BrokerBuilds {
    /** Kafka's kafka-server-start.sh heap and kafka-run-class.sh's G1 settings. */
    public static final String DEFAULT_JVM_FLAGS = "-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 "
        + "-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent";

    @Option(names = "--kafka-lib", description = "Apache Kafka server jars (default: ${DEFAULT-VALUE}).")
    public Path kafkaLib = Path.of("bench/kafka-server/target/lib");

    @Option(names = "--tributary-jar", description = "Tributary's broker jar (default: ${DEFAULT-VALUE}).")
    public Path tributaryJar = Path.of("server/target/tributary-server.jar");

    @Option(names = "--jvm-flags", description = "JVM flags for every broker JVM of both kinds (default: ${DEFAULT-VALUE}).")
    public String jvmFlags = DEFAULT_JVM_FLAGS;

    /** The JVM flags as separate arguments. */
    public List<String> flagList() {
        return Arrays.stream(jvmFlags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** Fails naming the missing jar and the command that makes it, before anything is started. */
    public void requirePresent() {
        requireFile(tributaryJar, "build it: mvn -pl protocol,log,consumer-groups,server package -DskipTests");
        requireFile(kafkaLib.resolve("kafka_2.13-4.3.1.jar"),
            "fetch it: mvn -f bench/kafka-server/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib");
    }

    private static void requireFile(Path file, String hint) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist; " + hint);
        }
    }
}
