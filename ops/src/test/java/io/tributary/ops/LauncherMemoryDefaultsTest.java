package io.tributary.ops;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory defaults bin/tributary gives the broker (docs/performance/broker-memory-2026-12-06.md): a 64 MiB heap
 * floor under the 1 GiB ceiling, and two glibc malloc arenas; an operator's TRIBUTARY_JAVA_OPTS or MALLOC_ARENA_MAX
 * replaces them, and other commands get neither. The launcher runs from a copy laid out as a distribution
 * (bin/tributary beside lib/tributary.jar, so it builds nothing) with a stand-in {@code java} first on the PATH that
 * prints the options and the arena setting it was started with; class-data sharing is off (no training run).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LauncherMemoryDefaultsTest {

    @TempDir
    Path dist;

    private LauncherCopy launcher;

    @BeforeEach
    void layOutDistribution() throws IOException {
        launcher = LauncherCopy.layOut(dist, "#!/bin/sh\necho \"args: $*\"\necho \"arenas: ${MALLOC_ARENA_MAX:-unset}\"\n");
    }

    @Test
    void brokerGetsASmallHeapFloorUnderTheCeilingAndTwoArenas() throws Exception {
        String out = launch(Map.of(), "server");
        assertThat(out).contains("args: -Xms64m -Xmx1g -XX:+UseG1GC -jar ").contains("arenas: 2");
    }

    @Test
    void operatorSettingsReplaceTheDefaults() throws Exception {
        String out = launch(Map.of("TRIBUTARY_JAVA_OPTS", "-Xms1g -Xmx4g", "MALLOC_ARENA_MAX", "8"), "server");
        assertThat(out).contains("args: -Xms1g -Xmx4g -jar ").doesNotContain("-Xms64m").contains("arenas: 8");
    }

    @Test
    void otherCommandsKeepTheirOwnOptionsAndTheDefaultArenas() throws Exception {
        String out = launch(Map.of(), "topics", "--help");
        assertThat(out).contains("args: -Xmx512m -XX:+UseSerialGC").contains("arenas: unset");
    }

    private String launch(Map<String, String> env, String... args) throws Exception {
        Map<String, String> noArchive = new java.util.HashMap<>(Map.of("TRIBUTARY_CDS", "off"));
        noArchive.putAll(env);
        return launcher.launch(noArchive, args);
    }
}
