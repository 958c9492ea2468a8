package io.tributary.ops;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/tributary's class-data training run: once the training broker logs that it started, the launcher's own client
 * commands run against the port it names (a topic, a producer per codec with 1,000 keyed lines each, a group consumer
 * reading them back, the group described), then the broker is stopped, its archive moved beside the jar and mapped
 * by the start that follows. A training broker that never starts gets no client workload and leaves no archive. The
 * launcher runs from a {@link LauncherCopy} whose stand-in {@code java}, as the training broker, logs Tributary's start
 * line and writes the archive when stopped, and as a client command records its arguments and the lines it was given.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LauncherTrainingRunTest {
    private static final String FAKE_JAVA = """
        #!/bin/bash
        all="$*"
        case "$all" in
          *ArchiveClassesAtExit=*)
            for arg in "$@"; do case "$arg" in -XX:ArchiveClassesAtExit=*) archive=${arg#*=} ;; esac; done
            [ "$FAKE_TRAINING" = fails ] && { echo "Cannot start the broker: port taken"; exit 2; }
            trap 'echo archived > "$archive"; exit 0' TERM
            echo "[main] INFO io.tributary.console.ConsoleServer - Console on http://127.0.0.1:1/ (started in 3 ms)"
            echo "[main] INFO io.tributary.server.Broker - Tributary broker 0 of cluster c started in 5 ms, listening on [/127.0.0.1:4321]"
            for _ in $(seq 1 600); do sleep 0.1; done ;;
          *SharedArchiveFile=*) echo "server: $*" >> "$FAKE_LOG" ;;
          *".jar server"*) echo "server without archive: $*" >> "$FAKE_LOG" ;;
          *".jar produce "*) echo "cli: ${all#*.jar } lines=$(grep -c '^key-[0-9]*:value-[0-9]*$')" >> "$FAKE_LOG" ;;
          *) echo "cli: ${all#*.jar }" >> "$FAKE_LOG" ;;
        esac
        """;

    @TempDir
    Path dist;

    private LauncherCopy launcher;
    private Path log;

    @BeforeEach
    void layOutDistribution() throws IOException {
        launcher = LauncherCopy.layOut(dist, FAKE_JAVA);
        log = dist.resolve("fake.log");
    }

    @Test
    void theTrainingRunDrivesClientsThroughEveryCodecThenTheArchiveIsMapped() throws Exception {
        launch("works");
        List<String> calls = Files.readAllLines(log);
        String bootstrap = "--bootstrap-server 127.0.0.1:4321";
        assertThat(calls).contains("cli: topics create training --partitions 3 " + bootstrap);
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            assertThat(calls).contains("cli: produce training " + bootstrap + " --compression " + codec
                + " --key-separator : lines=1000");
        }
        String consume = "cli: consume training " + bootstrap
            + " --group training --from-beginning --max-messages 5000 --timeout-ms 10000";
        assertThat(calls).contains(consume, "cli: groups describe training " + bootstrap);
        // the consumer after every producer has ended, the broker after the training run, with the archive it left
        assertThat(calls.subList(0, calls.indexOf(consume))).filteredOn(call -> call.startsWith("cli: produce ")).hasSize(5);
        assertThat(calls.indexOf("cli: groups describe training " + bootstrap)).isEqualTo(calls.size() - 2);
        assertThat(calls.get(calls.size() - 1)).startsWith("server: ")
            .contains("-XX:SharedArchiveFile=" + dist.resolve("lib/tributary.jsa"));
        assertThat(dist.resolve("lib/tributary.jsa")).hasContent("archived");
    }

    @Test
    void aTrainingBrokerThatDoesNotStartGetsNoClientsAndLeavesNoArchive() throws Exception {
        String out = launch("fails");
        assertThat(out).contains("No class-data archive");
        assertThat(Files.readAllLines(log)).singleElement().asString().startsWith("server without archive: ");
        assertThat(dist.resolve("lib/tributary.jsa")).doesNotExist();
    }

    private String launch(String training) throws Exception {
        return launcher.launch(Map.of("FAKE_TRAINING", training, "FAKE_LOG", log.toString(), "TMPDIR", dist.toString()),
            "server");
    }
}
