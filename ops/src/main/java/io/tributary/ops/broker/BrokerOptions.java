package io.tributary.ops.broker;

import io.tributary.ops.OperationFailedException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * The options of every command that talks to a broker: {@code --bootstrap-server} (default 127.0.0.1:9092, or
 * the TRIBUTARY_BOOTSTRAP_SERVER environment variable); {@code --command-config FILE}, a Java properties file of client
 * settings as Kafka's tools take it (security.protocol, ssl.*, sasl.* for a TLS or SASL listener), and
 * {@code --command-property KEY=VALUE} for one setting, which wins over the file. Also the reachability check that
 * turns an unreachable broker into one sentence instead of a client's retries and stack traces.
 */
public final class BrokerOptions {
    static final int CONNECT_TIMEOUT_MS = 5_000;

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT", converter = BootstrapServers.Converter.class,
        defaultValue = "${env:TRIBUTARY_BOOTSTRAP_SERVER:-127.0.0.1:9092}",
        description = "Broker(s) to contact, HOST:PORT[,HOST:PORT...] (default: ${DEFAULT-VALUE}; env TRIBUTARY_BOOTSTRAP_SERVER).")
    BootstrapServers bootstrap;

    @Option(names = "--command-config", paramLabel = "FILE",
        description = "Client settings (Kafka key names) from a properties file, e.g. security.protocol, ssl.truststore.location, "
            + "sasl.mechanism, sasl.jaas.config.")
    Path commandConfig;

    @Option(names = "--command-property", paramLabel = "KEY=VALUE",
        description = "A client setting (Kafka key names), repeatable; wins over --command-config.")
    List<String> commandProperties = new ArrayList<>();

    public BootstrapServers bootstrap() {
        return bootstrap;
    }

    /**
     * The client settings of {@code --command-config} and {@code --command-property} (the latter winning), as strings.
     *
     * @throws OperationFailedException naming the file when it cannot be read, or the malformed property
     */
    public Map<String, String> clientProperties() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (commandConfig != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                file.load(in);
            } catch (IOException e) {
                throw new OperationFailedException("cannot read --command-config " + commandConfig + ": " + e.getMessage());
            }
            file.stringPropertyNames().stream().sorted().forEach(k -> settings.put(k.trim(), file.getProperty(k).trim()));
        }
        for (String property : commandProperties) {
            int eq = property.indexOf('=');
            if (eq <= 0) {
                throw new OperationFailedException("--command-property takes KEY=VALUE, got '" + property + "'");
            }
            settings.put(property.substring(0, eq).trim(), property.substring(eq + 1));
        }
        settings.remove("bootstrap.servers"); // --bootstrap-server says where the cluster is
        return settings;
    }

    /** The subset of {@link #clientProperties()} that secures connections, for clients that take no other settings. */
    public Map<String, String> securityProperties() {
        Map<String, String> security = new LinkedHashMap<>();
        clientProperties().forEach((k, v) -> {
            if (k.equals("security.protocol") || k.startsWith("ssl.") || k.startsWith("sasl.")) {
                security.put(k, v);
            }
        });
        return security;
    }

    /**
     * Returns once one bootstrap address accepts a TCP connection.
     *
     * @throws OperationFailedException "cannot reach broker at HOST:PORT (connection refused)" when none does
     */
    public BootstrapServers requireReachable() {
        String firstFailure = null;
        for (BootstrapServers.Address address : bootstrap.addresses()) {
            String failure = probe(address);
            if (failure == null) {
                return bootstrap;
            }
            if (firstFailure == null) {
                firstFailure = failure;
            }
        }
        throw new OperationFailedException(firstFailure);
    }

    private static String probe(BootstrapServers.Address address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), CONNECT_TIMEOUT_MS);
            return null;
        } catch (UnknownHostException e) {
            return "cannot reach broker at " + address + " (unknown host)";
        } catch (ConnectException e) {
            return "cannot reach broker at " + address + " (connection refused)";
        } catch (SocketTimeoutException e) {
            return "cannot reach broker at " + address + " (no answer within " + CONNECT_TIMEOUT_MS / 1000 + " s)";
        } catch (IOException e) {
            return "cannot reach broker at " + address + " (" + e.getMessage() + ")";
        }
    }
}
