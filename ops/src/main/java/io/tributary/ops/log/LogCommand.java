package io.tributary.ops.log;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code tributary log}: reads log files directly, without a broker (as kafka-dump-log does). */
@Command(name = "log", mixinStandardHelpOptions = true,
    description = "Inspect partition logs on disk: dump a segment, verify directories. Reads only; never writes.",
    subcommands = {LogDumpCommand.class, LogVerifyCommand.class})
public final class LogCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: dump or verify");
    }
}
