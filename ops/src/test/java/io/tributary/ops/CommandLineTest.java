package io.tributary.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line as a whole: help on every command, the completion script, and bad input answered with a
 * one-line message and the documented exit status (1 usage, 2 failure), never a stack trace.
 */
class CommandLineTest {

    @Test
    void everyCommandHasHelp() {
        CommandLine root = Tributary.commandLine(System.in, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<List<String>> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        assertThat(paths).extracting(p -> String.join(" ", p)).contains("server", "log dump", "log verify", "completion");
        for (List<String> path : paths) {
            if (path.equals(List.of("bench")) || path.equals(List.of("help"))) {
                continue; // bench passes --help to the harness; help is help
            }
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CommandRun run = CommandRun.of(args.toArray(String[]::new));
            assertThat(run.exit()).as("tributary %s --help: %s", path, run).isZero();
            assertThat(run.out()).as("tributary %s --help", path).startsWith("Usage: tributary");
        }
        CommandRun top = CommandRun.of("--help");
        assertThat(top.out()).contains("Exit status: 0 success, 1 usage error, 2 the operation failed.");
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        command.getSubcommands().forEach((name, sub) -> {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            into.add(subPath);
            collect(sub, subPath, into);
        });
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        CommandRun run = CommandRun.of("completion");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("complete -F", "_complete_tributary", "dump", "verify", "server");
    }

    @Test
    void unknownCommandsAndFlagsAreUsageErrors() {
        CommandRun unknown = CommandRun.of("frobnicate");
        assertThat(unknown.exit()).isEqualTo(Tributary.USAGE);
        assertThat(unknown.err()).startsWith("error: Unmatched argument at index 0: 'frobnicate'").contains("tributary --help");

        CommandRun nothing = CommandRun.of();
        assertThat(nothing.exit()).isEqualTo(Tributary.USAGE);
        assertThat(nothing.err()).startsWith("error: Missing a command");

        CommandRun badFlag = CommandRun.of("log", "verify", "--deep", ".");
        assertThat(badFlag.exit()).isEqualTo(Tributary.USAGE);
        assertThat(badFlag.err()).startsWith("error: Unknown option: '--deep'").contains("tributary log verify --help");

        for (CommandRun run : List.of(unknown, nothing, badFlag)) {
            assertThat(run.err()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void serverRefusesBadSettingsWithoutAStackTrace(@TempDir Path dir) throws Exception {
        CommandRun malformed = CommandRun.of("server", "--override", "num.partitions");
        assertThat(malformed.exit()).isEqualTo(Tributary.USAGE);
        assertThat(malformed.err()).isEqualTo("--override takes KEY=VALUE, got 'num.partitions'\n");

        CommandRun invalid = CommandRun.of("server", "--override", "num.partitions=0", "--override", "log.dirs=" + dir);
        assertThat(invalid.exit()).isEqualTo(Tributary.FAILED);
        assertThat(invalid.err()).isEqualTo("Invalid configuration: Invalid value 0 for configuration num.partitions: "
            + "a whole number in [1, 100000]\n");

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandRun portInUse = CommandRun.of("server", "--override", "listeners=PLAINTEXT://127.0.0.1:" + taken.getLocalPort(),
                "--override", "log.dirs=" + dir, "--override", "metrics.listener=");
            assertThat(portInUse.exit()).isEqualTo(Tributary.FAILED);
            assertThat(portInUse.err()).startsWith("Cannot start the broker: Cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (listeners)")
                .doesNotContain("\tat ");

            CommandRun metricsPortInUse = CommandRun.of("server", "--override", "listeners=PLAINTEXT://127.0.0.1:0",
                "--override", "log.dirs=" + dir, "--override", "metrics.listener=127.0.0.1:" + taken.getLocalPort());
            assertThat(metricsPortInUse.exit()).isEqualTo(Tributary.FAILED);
            assertThat(metricsPortInUse.err()).startsWith("Cannot start the broker: Cannot bind the metrics endpoint to 127.0.0.1:"
                + taken.getLocalPort() + " (metrics.listener)").doesNotContain("\tat ");
        }
    }
}
