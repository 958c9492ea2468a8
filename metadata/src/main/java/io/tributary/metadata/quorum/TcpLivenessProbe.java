package io.tributary.metadata.quorum;

import io.tributary.metadata.controller.LivenessProbing.Outcome;
import io.tributary.metadata.record.MetadataRecord.Endpoint;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's liveness probe of a broker (see {@link io.tributary.metadata.controller.LivenessProbing}): a TCP
 * connect to each registered endpoint, closed at once without a byte sent. "Connection refused" (ECONNREFUSED: the
 * peer's kernel answered the SYN with a reset, or a host on the way answered port-unreachable) is the only evidence
 * of death; an accepted connection is evidence of a process holding the listening socket, alive or frozen. A wildcard
 * or empty host is not probed (it would reach this host, not the broker's), nor an unresolvable one: inconclusive.
 */
public final class TcpLivenessProbe {
    private final int connectTimeoutMs;

    public TcpLivenessProbe(int connectTimeoutMs) {
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /** The outcome over all {@code endpoints} ({@link Outcome#combine}); blocks for at most a timeout per endpoint. */
    public Outcome probe(List<Endpoint> endpoints) {
        List<Outcome> outcomes = new ArrayList<>(endpoints.size());
        for (Endpoint endpoint : endpoints) {
            Outcome outcome = probe(endpoint);
            if (outcome == Outcome.ACCEPTED) {
                return Outcome.ACCEPTED; // the rest cannot change it
            }
            outcomes.add(outcome);
        }
        return Outcome.combine(outcomes);
    }

    Outcome probe(Endpoint endpoint) {
        String host = endpoint.host();
        if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return Outcome.INCONCLUSIVE;
        }
        InetSocketAddress address = new InetSocketAddress(host, endpoint.port());
        if (address.isUnresolved() || address.getAddress().isAnyLocalAddress()) {
            return Outcome.INCONCLUSIVE;
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, connectTimeoutMs);
            return Outcome.ACCEPTED;
        } catch (ConnectException e) {
            // only the kernel's refusal is evidence; "No route to host", "Network is unreachable" are not
            String message = e.getMessage();
            return message != null && message.startsWith("Connection refused") ? Outcome.REFUSED : Outcome.INCONCLUSIVE;
        } catch (IOException | RuntimeException e) {
            return Outcome.INCONCLUSIVE; // a timeout, a security manager, anything else: no evidence
        }
    }
}
