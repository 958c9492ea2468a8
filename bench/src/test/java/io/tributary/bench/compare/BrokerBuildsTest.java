package io.tributary.bench.compare;

import io.tributary.bench.cluster.ClusterCompareCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class BrokerBuildsTest {

    @Test
    void everySideBySideCommandTakesTheSameBrokerOptions() {
        List<Object> commands = List.of(new CompareCommand(), new TxnCompareCommand(), new TlsCompareCommand(),
            new ClusterCompareCommand());
        for (Object command : commands) {
            new CommandLine(command).parseArgs("--kafka-lib", "k/lib", "--tributary-jar", "t.jar",
                "--jvm-flags", "  -Xmx256m   -XX:+UseSerialGC ");
            BrokerBuilds builds = buildsOf(command);
            assertThat(builds.kafkaLib).as(command.getClass().getSimpleName()).isEqualTo(Path.of("k/lib"));
            assertThat(builds.tributaryJar).isEqualTo(Path.of("t.jar"));
            assertThat(builds.flagList()).containsExactly("-Xmx256m", "-XX:+UseSerialGC");
        }
    }

    @Test
    void theDefaultsAreKafkasOwnFlags() {
        assertThat(new BrokerBuilds().flagList()).containsExactly("-Xms1g", "-Xmx1g", "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent");
    }

    @Test
    void aMissingJarIsNamedWithTheCommandThatMakesIt(@TempDir Path dir) {
        BrokerBuilds builds = new BrokerBuilds();
        builds.tributaryJar = dir.resolve("absent.jar");
        assertThatThrownBy(builds::requirePresent).hasMessageContaining("absent.jar does not exist")
            .hasMessageContaining("mvn -pl protocol,log,consumer-groups,server package");
    }

    private static BrokerBuilds buildsOf(Object command) {
        return (BrokerBuilds) CommandLine.Model.CommandSpec.forAnnotatedObject(command).mixins().get("builds").userObject();
    }
}
