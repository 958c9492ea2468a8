package io.tributary.server;

import io.tributary.log.InvalidConfigException;
import io.tributary.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tributary server}: starts a broker on a {@code server.properties}-style file and/or
 * {@code --override key=value} settings (embedded defaults otherwise) and runs until SIGTERM or SIGINT,
 * which stop it cleanly. Exit status 1 for a malformed option, 2 for a configuration the broker refuses; the
 * {@code tributary} command line runs this same command as {@code tributary server}.
 *
 * <p>Start-up fast path: picocli is compiled for Java 5, so the JVM cannot keep its classes in the launcher's
 * class-data archive, and building its model of a command is some hundreds of milliseconds of a start.
 * {@link PlainArguments} reads the common command lines ({@code --config FILE}, {@code --override KEY=VALUE}) without
 * it and hands anything else ({@code --help}, an unknown or repeated flag, an {@code @file}) to picocli, so every
 * command line means what picocli makes of it; {@link #run} is the one body both paths call.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Start a Tributary broker. With no options: listener 127.0.0.1:9092, data under ./data.")
public final class Main implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "A server.properties file (Kafka key names).")
    Path configFile;

    @Option(names = "--override", paramLabel = "KEY=VALUE", description = "A setting that wins over the file; repeatable.")
    List<String> overrides = List.of();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return run(configFile, overrides, spec.commandLine().getErr());
    }

    /**
     * Starts the broker on the file (null: none) and overrides and runs until it stops; returns the exit status
     * (0 stopped, 1 a malformed override, 2 a refused configuration or a failed start). Messages go to {@code err}.
     */
    public static int run(Path configFile, List<String> overrides, PrintWriter err) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                err.println("--override takes KEY=VALUE, got '" + override + "'");
                err.flush();
                return 1;
            }
            settings.put(override.substring(0, eq).trim(), override.substring(eq + 1));
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(configFile, settings);
        } catch (InvalidConfigException e) {
            err.println("Invalid configuration: " + e.getMessage());
            err.flush();
            return 2;
        }
        // The hook is in place before the start: the broker listens before it has joined its metadata quorum, and a
        // SIGTERM in between must still stop it cleanly (the hook waits for the start to finish, then closes).
        java.util.concurrent.atomic.AtomicReference<Broker> running = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch startFinished = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                startFinished.await(120, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Broker started = running.get();
            if (started != null) {
                started.close();
            }
            stopped.countDown();
        }, "shutdown"));
        try {
            Broker broker = Broker.start(config);
            running.set(broker);
            // a broker also stops itself: when its metadata quorum agreed on another cluster id than its data's
            broker.stopped().thenRun(stopped::countDown);
        } catch (RuntimeException e) {
            // A port in use, an unreadable log directory: one line naming it, not a stack trace.
            err.println("Cannot start the broker: " + (e.getMessage() == null ? e : e.getMessage()));
            err.flush();
            return 2;
        } finally {
            startFinished.countDown();
        }
        stopped.await();
        Broker broker = running.get();
        if (broker != null && broker.identityRefusal() != null) {
            err.println("The broker stopped: " + broker.identityRefusal().getMessage());
            err.flush();
            return 2;
        }
        return 0;
    }

    /**
     * The command lines {@code server} reads without picocli: only {@code --config FILE} (at most once) and
     * {@code --override KEY=VALUE}, each also as {@code --option=value}. {@link #parse} answers null for anything else,
     * and for values picocli might read otherwise (one starting with '-' or '@', an empty one, a path that does not
     * parse), so those go through picocli and get its answer, help and error messages.
     */
    public record PlainArguments(Path configFile, List<String> overrides) {
        public PlainArguments {
            overrides = List.copyOf(overrides);
        }

        /** The arguments after {@code server}, or null when picocli must read them. */
        public static PlainArguments parse(String[] args) {
            String config = null;
            List<String> overrides = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String name;
                String value;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    name = arg;
                    value = args[++i];
                } else {
                    return null;
                }
                if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                    return null;
                }
                if (name.equals("--config") && config == null) {
                    config = value;
                } else if (name.equals("--override")) {
                    overrides.add(value);
                } else {
                    return null;
                }
            }
            try {
                return new PlainArguments(config == null ? null : Path.of(config), overrides);
            } catch (InvalidPathException e) {
                return null;
            }
        }
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
