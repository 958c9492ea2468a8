package io.tributary.ops.webconsole;

import io.tributary.console.ConsoleServer;
import io.tributary.console.ConsoleSettings;
import io.tributary.ops.OperationFailedException;
import io.tributary.ops.broker.BrokerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tributary console}: the web console on its own, against any Kafka-protocol cluster, until SIGTERM or
 * SIGINT. Prints the address to open. Bytes in/out and sizes need the broker's counters, so standalone the
 * overview shows messages in (from end offsets) only.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
    description = "Serve the web console for a cluster (Tributary or Apache Kafka) until stopped.")
public final class WebConsoleCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--listener", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9645",
        description = "Where the console listens (default: ${DEFAULT-VALUE}; port 0: any free port).")
    String listener;

    @Option(names = "--read-only", description = "Hide and refuse every write action.")
    boolean readOnly;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        URI uri = URI.create("http://" + listener.trim());
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535) {
            throw new OperationFailedException("--listener takes HOST:PORT, got '" + listener + "'");
        }
        String bootstrap = broker.requireReachable().config();
        ConsoleServer server;
        try {
            server = ConsoleServer.start(ConsoleSettings.standalone(bootstrap, uri.getHost(), uri.getPort(), readOnly));
        } catch (RuntimeException e) {
            throw new OperationFailedException(e.getMessage());
        }
        spec.commandLine().getOut().println("Console for " + bootstrap + " on http://" + uri.getHost() + ":"
            + server.address().getPort() + "/" + (readOnly ? " (read-only)" : ""));
        spec.commandLine().getOut().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "console-shutdown"));
        stopped.await();
        return 0;
    }
}
