package io.tributary.server;

import io.tributary.log.InvalidConfigException;
import io.tributary.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tributary server}: starts a broker on a {@code server.properties}-style file and/or
 * {@code --override key=value} settings (embedded defaults otherwise) and runs until SIGTERM or SIGINT,
 * which stop it cleanly.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Start a Tributary broker. With no options: listener 127.0.0.1:9092, data under ./data.")
public final class Main implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "A server.properties file (Kafka key names).")
    Path configFile;

    @Option(names = "--override", paramLabel = "KEY=VALUE", description = "A setting that wins over the file; repeatable.")
    List<String> overrides = List.of();

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                System.err.println("--override takes KEY=VALUE, got '" + override + "'");
                return 2;
            }
            settings.put(override.substring(0, eq).trim(), override.substring(eq + 1));
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(configFile, settings);
        } catch (InvalidConfigException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            return 2;
        }
        Broker broker = Broker.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
