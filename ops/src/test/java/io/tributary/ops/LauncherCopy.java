package io.tributary.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/tributary run from a copy laid out as a distribution (bin/tributary beside an empty lib/tributary.jar, so it
 * builds nothing) with a stand-in {@code java} script first on the PATH: the launcher's tests see what it would start
 * without starting a JVM.
 */
final class LauncherCopy {
    private final Path dist;

    private LauncherCopy(Path dist) {
        this.dist = dist;
    }

    /** Lays out the copy in {@code dist}, with {@code fakeJava} (a shell script) as {@code java}. */
    static LauncherCopy layOut(Path dist, String fakeJava) throws IOException {
        Path launcher = Path.of("..", "bin", "tributary").toAbsolutePath().normalize();
        Files.createDirectories(dist.resolve("bin"));
        Files.createDirectories(dist.resolve("lib"));
        Files.createDirectories(dist.resolve("fake"));
        Files.copy(launcher, dist.resolve("bin/tributary"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(dist.resolve("lib/tributary.jar"), "");
        Path java = dist.resolve("fake/java");
        Files.writeString(java, fakeJava);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new LauncherCopy(dist);
    }

    /**
     * Runs {@code bin/tributary args} with none of the launcher's own variables inherited from this JVM's environment,
     * then {@code env}; expects exit 0 within 60 s and returns what it printed.
     */
    String launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/tributary").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        for (String inherited : List.of("TRIBUTARY_JAVA_OPTS", "TRIBUTARY_CLI_JAVA_OPTS", "TRIBUTARY_CDS", "MALLOC_ARENA_MAX")) {
            builder.environment().remove(inherited);
        }
        builder.environment().put("PATH", dist.resolve("fake") + ":" + System.getenv("PATH"));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
