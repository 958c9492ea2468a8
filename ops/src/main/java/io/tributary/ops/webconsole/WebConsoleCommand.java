package io.tributary.ops.webconsole;

import io.tributary.console.ConsoleServer;
import io.tributary.console.ConsoleSettings;
import io.tributary.console.auth.ClusterLogin;
import io.tributary.console.auth.UserListLogin;
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
 * overview shows messages in (from end offsets) only. {@code --command-config} gives the clients' security settings
 * (security.protocol, ssl.*, sasl.*), so the console reaches SSL and SASL_SSL listeners; with {@code --broker-users}
 * people log in with their own broker credentials and the console acts as them ({@link ClusterLogin}).
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

    @Option(names = "--users", paramLabel = "FILE",
        description = "Ask for a login: the users who may use the console, one name=password a line (read again when it changes).")
    java.nio.file.Path users;

    @Option(names = "--broker-users",
        description = "Ask for a login and check it with the brokers: each user's name and password must authenticate to the"
            + " cluster (security.protocol SASL_PLAINTEXT or SASL_SSL and sasl.mechanism PLAIN or SCRAM-SHA-256/512 from"
            + " --command-config, with its ssl.* trust settings), and the user's requests then go to the brokers as that user,"
            + " so the brokers' ACLs decide what each user sees.")
    boolean brokerUsers;

    @Option(names = "--bindings", paramLabel = "FILE",
        description = "A RoutingProducer bindings file to show on the routing page (repeat for several).")
    java.util.List<java.nio.file.Path> bindings = new java.util.ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        URI uri = URI.create("http://" + listener.trim());
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535) {
            throw new OperationFailedException("--listener takes HOST:PORT, got '" + listener + "'");
        }
        for (java.nio.file.Path file : bindings) {
            if (!java.nio.file.Files.isReadable(file)) {
                throw new OperationFailedException("--bindings " + file + ": no such readable file");
            }
        }
        ConsoleSettings settings;
        try {
            settings = ConsoleSettings.standalone(broker.requireReachable().config(), uri.getHost(), uri.getPort(), readOnly)
                .withBindingsFiles(bindings).withClientOverrides(broker.clientProperties());
            if (users != null && brokerUsers) {
                throw new OperationFailedException("--users and --broker-users are exclusive: the console's own user list, or the brokers' users");
            }
            if (users != null) {
                settings = settings.withLogin(UserListLogin.of(users));
            } else if (brokerUsers) {
                settings = settings.withLogin(ClusterLogin.of(settings.bootstrapServers(), settings.clientOverrides()));
            }
        } catch (IllegalArgumentException e) {
            throw new OperationFailedException(e.getMessage());
        }
        String bootstrap = settings.bootstrapServers();
        ConsoleServer server;
        try {
            server = ConsoleServer.start(settings);
        } catch (RuntimeException e) {
            throw new OperationFailedException(e.getMessage());
        }
        spec.commandLine().getOut().println("Console for " + bootstrap + " on http://" + uri.getHost() + ":"
            + server.address().getPort() + "/" + (readOnly ? " (read-only)" : "") + (users != null ? " (login: " + users + ")" : brokerUsers ? " (login: the brokers' users)" : ""));
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
