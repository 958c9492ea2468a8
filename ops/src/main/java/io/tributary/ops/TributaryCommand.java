package io.tributary.ops;

import io.tributary.ops.bench.BenchCommand;
import io.tributary.ops.cluster.ClusterCommand;
import io.tributary.ops.console.ConsumeCommand;
import io.tributary.ops.console.ProduceCommand;
import io.tributary.ops.groups.GroupsCommand;
import io.tributary.ops.topics.TopicsCommand;
import io.tributary.ops.log.LogCommand;
import io.tributary.ops.webconsole.WebConsoleCommand;
import io.tributary.server.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.util.concurrent.Callable;

/**
 * The root of the {@code tributary} command: one subcommand per area. Holds the standard input the
 * subcommands read (console produce), so tests can run commands in-process with their own input.
 */
@Command(name = "tributary", mixinStandardHelpOptions = true, versionProvider = TributaryCommand.Version.class,
    description = "Run and operate Tributary, a Kafka-wire-compatible streaming platform.",
    subcommands = {Main.class, ClusterCommand.class, TopicsCommand.class, GroupsCommand.class, ProduceCommand.class, ConsumeCommand.class, LogCommand.class, WebConsoleCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit status: 0 success, 1 usage error, 2 the operation failed.",
        "Shell completion: source <(tributary completion)"})
public final class TributaryCommand implements Callable<Integer> {
    private final InputStream in;

    @Spec
    CommandSpec spec;

    public TributaryCommand(InputStream in) {
        this.in = in;
    }

    /** What {@code produce} reads. */
    public InputStream in() {
        return in;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
    }

    /** The version in the jar's manifest when packaged, else "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TributaryCommand.class.getPackage().getImplementationVersion();
            return new String[] {"tributary " + (version == null ? "(development build)" : version)};
        }
    }
}
