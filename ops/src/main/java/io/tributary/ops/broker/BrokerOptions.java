package io.tributary.ops.broker;

import io.tributary.ops.OperationFailedException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * The {@code --bootstrap-server} option of every command that talks to a broker (default 127.0.0.1:9092, or
 * the TRIBUTARY_BOOTSTRAP_SERVER environment variable), and the reachability check that turns an unreachable
 * broker into one sentence instead of a client's retries and stack traces.
 */
public final class BrokerOptions {
    static final int CONNECT_TIMEOUT_MS = 5_000;

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT", converter = BootstrapServers.Converter.class,
        defaultValue = "${env:TRIBUTARY_BOOTSTRAP_SERVER:-127.0.0.1:9092}",
        description = "Broker(s) to contact, HOST:PORT[,HOST:PORT...] (default: ${DEFAULT-VALUE}; env TRIBUTARY_BOOTSTRAP_SERVER).")
    BootstrapServers bootstrap;

    public BootstrapServers bootstrap() {
        return bootstrap;
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
