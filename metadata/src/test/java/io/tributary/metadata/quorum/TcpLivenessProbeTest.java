package io.tributary.metadata.quorum;

import io.tributary.metadata.controller.LivenessProbing.Outcome;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real sockets on 127.0.0.1: a listening port accepts (even with nobody calling accept()), a closed one refuses. */
@Timeout(30)
class TcpLivenessProbeTest {
    private final TcpLivenessProbe probe = new TcpLivenessProbe(2_000);

    private static Endpoint at(String host, int port) {
        return new Endpoint("PLAINTEXT", host, port, "PLAINTEXT");
    }

    @Test
    void aListeningSocketAcceptsEvenWhenItsOwnerNeverCallsAccept() throws Exception {
        // as a frozen (SIGSTOPped) broker: the kernel completes the handshake into the backlog
        try (ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(probe.probe(List.of(at("127.0.0.1", frozen.getLocalPort())))).isEqualTo(Outcome.ACCEPTED);
        }
    }

    @Test
    void aClosedPortRefusesAndOnlyAllEndpointsRefusingIsRefused() throws Exception {
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = gone.getLocalPort();
        }
        assertThat(probe.probe(List.of(at("127.0.0.1", closed)))).isEqualTo(Outcome.REFUSED);
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(probe.probe(List.of(at("127.0.0.1", closed), at("127.0.0.1", other.getLocalPort()))))
                .as("another listener of the same broker accepts").isEqualTo(Outcome.ACCEPTED);
        }
    }

    @Test
    void wildcardEmptyAndUnresolvableHostsAreNotProbed() throws Exception {
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = gone.getLocalPort();
        }
        // a wildcard would reach this host, not the broker's: its refusal would say nothing about the broker
        assertThat(probe.probe(List.of(at("0.0.0.0", closed)))).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(probe.probe(List.of(at("", closed)))).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(probe.probe(List.of(at("no-such-host.invalid", closed)))).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(probe.probe(List.of(at("127.0.0.1", closed), at("0.0.0.0", closed))))
            .as("one endpoint not probed: not every endpoint refused").isEqualTo(Outcome.INCONCLUSIVE);
    }
}
