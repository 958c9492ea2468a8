package io.tributary.server;

import io.tributary.log.InvalidConfigException;
import io.tributary.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
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
        Map<String, String> settings = new LinkedHashMap<>();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                spec.commandLine().getErr().println("--override takes KEY=VALUE, got '" + override + "'");
                spec.commandLine().getErr().flush();
                return 1;
            }
            settings.put(override.substring(0, eq).trim(), override.substring(eq + 1));
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(configFile, settings);
        } catch (InvalidConfigException e) {
            spec.commandLine().getErr().println("Invalid configuration: " + e.getMessage());
            spec.commandLine().getErr().flush();
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
            spec.commandLine().getErr().println("Cannot start the broker: " + (e.getMessage() == null ? e : e.getMessage()));
            spec.commandLine().getErr().flush();
            return 2;
        } finally {
            startFinished.countDown();
        }
        stopped.await();
        Broker broker = running.get();
        if (broker != null && broker.identityRefusal() != null) {
            spec.commandLine().getErr().println("The broker stopped: " + broker.identityRefusal().getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
