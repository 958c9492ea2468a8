package io.tributary.ops;

import io.tributary.server.Main;
import picocli.AutoComplete;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Entry point of the {@code tributary} command line ({@code bin/tributary}). Exit status: {@link #OK},
 * {@link #USAGE} for anything wrong with the command line itself (unknown command or flag, a value that does
 * not parse), {@link #FAILED} when the operation was attempted and failed (broker unreachable, topic missing,
 * corruption found). Failures print one line, {@code error: ...}, never a stack trace.
 */
public final class Tributary {
    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int FAILED = 2;

    private Tributary() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || !args[0].equals("server")) {
            // A tool's output is its answer: the clients' INFO lines (group joins, connections) would only be noise.
            // Set before any logger exists; -Dorg.slf4j.simpleLogger.defaultLogLevel=info brings them back.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.in, out, err));
    }

    /**
     * Runs one command line in this JVM with the given streams; returns the exit status. {@code server} with plain
     * options starts the broker without building the command tree (see {@link Main.PlainArguments}): the whole tree
     * is every command's classes and picocli's reflection over them, which a broker's start does not need.
     */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && args[0].equals("server")) {
            Main.PlainArguments plain = Main.PlainArguments.parse(Arrays.copyOfRange(args, 1, args.length));
            if (plain != null) {
                try {
                    return Main.run(plain.configFile(), plain.overrides(), err);
                } catch (Exception e) {
                    // as the command tree's execution exception handler answers it
                    err.println("error: " + describe(e));
                    err.flush();
                    return FAILED;
                }
            }
        }
        return commandLine(in, out, err).execute(args);
    }

    /** The configured command line: streams, exit codes, error messages, completion. */
    public static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TributaryCommand(in));
        CommandLine.Model.CommandSpec completion = CommandLine.Model.CommandSpec.forAnnotatedObject(new AutoComplete.GenerateCompletion());
        completion.usageMessage().hidden(false)
            .description("Print a bash/zsh completion script for tributary: source <(tributary completion)");
        cli.addSubcommand("completion", completion);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // Everything after `bench` belongs to the harness, options included, in the order given.
        cli.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true).setStopAtPositional(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, failed.getErr());
            failed.getErr().println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
            failed.getErr().flush();
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            failed.getErr().println("error: " + describe(ex));
            failed.getErr().flush();
            return FAILED;
        });
        cli.setExitCodeExceptionMapper(ex -> ex instanceof CommandLine.ParameterException ? USAGE : FAILED);
        return cli;
    }

    /** The operator's message: ours as written, anything else as its type and message (never a stack trace). */
    private static String describe(Throwable ex) {
        if (ex instanceof OperationFailedException) {
            return ex.getMessage();
        }
        String message = ex.getMessage();
        return message == null ? ex.getClass().getSimpleName() : message;
    }
}
