import io.tributary.server.Broker;
import io.tributary.server.config.ServerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What an in-process test broker (server's BrokerFixture) pays per start and stop, in one JVM (classes loaded after
 * the first round, as in a surefire fork): N rounds of start on a fresh directory, stop, start again on it, stop.
 *   java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp server/target/tributary-server.jar \
 *     bench/scripts/InProcessStartStop.java [ROUNDS]
 */
public final class InProcessStartStop {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        for (int i = 0; i < rounds; i++) {
            Path dir = Files.createTempDirectory("tributary-startstop");
            Map<String, String> settings = new HashMap<>();
            settings.put(ServerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0");
            settings.put(ServerConfig.LOG_DIRS, dir.toString());
            settings.put(ServerConfig.NUM_NETWORK_THREADS, "2");
            settings.put(ServerConfig.METRICS_LISTENER, "");
            long t0 = System.nanoTime();
            Broker broker = Broker.start(ServerConfig.of(settings));
            long t1 = System.nanoTime();
            broker.close();
            long t2 = System.nanoTime();
            Broker again = Broker.start(ServerConfig.of(settings));
            long t3 = System.nanoTime();
            again.close();
            long t4 = System.nanoTime();
            System.out.printf("round %d: fresh start %d ms, stop %d ms, restart %d ms, stop %d ms%n", i + 1,
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
