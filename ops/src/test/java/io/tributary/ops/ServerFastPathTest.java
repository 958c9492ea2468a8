package io.tributary.ops;

import io.tributary.server.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tributary server} starts the broker without building the command tree when its options are plain
 * ({@link Main.PlainArguments}); every command line must still mean what picocli makes of it: the same settings when
 * the fast path reads it, picocli's own answer (help, usage errors) when it does not.
 */
@Timeout(60)
class ServerFastPathTest {

    @Test
    void plainCommandLinesReadAsPicocliReadsThem() {
        List<String[]> plain = List.of(
            new String[] {},
            new String[] {"--config", "server.properties"},
            new String[] {"--config=conf/server.properties", "--override", "log.dirs=/tmp/x"},
            new String[] {"--override", "log.dirs=/tmp/data", "--override", "listeners=PLAINTEXT://127.0.0.1:9092"},
            new String[] {"--override=a=b=c", "--config", "x", "--override", "metrics.listener="},
            new String[] {"--override", "num.partitions"}); // malformed for the broker, not for the command line
        for (String[] args : plain) {
            Main.PlainArguments fast = Main.PlainArguments.parse(args);
            CommandLine.ParseResult picocli = new CommandLine(new Main()).parseArgs(args);
            assertThat(fast).as(String.join(" ", args)).isNotNull();
            assertThat(fast.configFile()).as(String.join(" ", args))
                .isEqualTo(picocli.matchedOptionValue("--config", (Path) null));
            assertThat(fast.overrides()).as(String.join(" ", args))
                .isEqualTo(picocli.matchedOptionValue("--override", List.<String>of()));
        }
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        List<String[]> others = List.of(
            new String[] {"--help"}, new String[] {"-h"}, new String[] {"--version"}, new String[] {"-V"},
            new String[] {"--bogus", "x"}, new String[] {"--bogus=x"}, new String[] {"extra"},
            new String[] {"--override"}, new String[] {"--config"},
            new String[] {"--config", "a", "--config", "b"}, new String[] {"--config=a", "--config=b"},
            new String[] {"--override", "@args.txt"}, new String[] {"--override", "-x"}, new String[] {"--override", ""},
            new String[] {"--override="}, new String[] {"--override", "a=b", "--"}, new String[] {"--config", "a\0b"});
        for (String[] args : others) {
            assertThat(Main.PlainArguments.parse(args)).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void helpAndBadFlagsAnswerAsBefore() {
        CommandRun help = CommandRun.of("server", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: tributary server").contains("--config=FILE", "--override=KEY=VALUE");

        CommandRun bogus = CommandRun.of("server", "--bogus");
        assertThat(bogus.exit()).isEqualTo(Tributary.USAGE);
        assertThat(bogus.err()).startsWith("error: Unknown option: '--bogus'").contains("Run 'tributary server --help' for usage.");

        CommandRun twice = CommandRun.of("server", "--config", "a", "--config", "b");
        assertThat(twice.exit()).isEqualTo(Tributary.USAGE);
        assertThat(twice.err()).startsWith("error: option '--config' (FILE) should be specified only once");

        CommandRun missingValue = CommandRun.of("server", "--override");
        assertThat(missingValue.exit()).isEqualTo(Tributary.USAGE);
        assertThat(missingValue.err()).startsWith("error: Missing required parameter for option '--override'");
    }

    @Test
    void aFailedStartAnswersAsThroughTheCommandTree(@TempDir Path dir) {
        String[][] lines = {
            {"server", "--config", dir.resolve("missing.properties").toString(), "--override", "log.dirs=" + dir},
            {"server", "--override", "num.partitions"},
            {"server", "--override", "num.partitions=0", "--override", "log.dirs=" + dir}};
        for (String[] args : lines) {
            assertThat(Main.PlainArguments.parse(java.util.Arrays.copyOfRange(args, 1, args.length))).isNotNull();
            CommandRun fast = CommandRun.of(args);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Tributary.commandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true)).execute(args);
            assertThat(new CommandRun(exit, out.toString(), err.toString())).as(String.join(" ", args)).isEqualTo(fast);
            assertThat(fast.exit()).as(String.join(" ", args)).isNotZero();
        }
    }
}
