package io.tributary.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackPortsTest {
    @Test
    void portsAreDistinctBindableAndBelowTheEphemeralRange() throws IOException {
        int[] first = LoopbackPorts.unused(6);
        int[] second = LoopbackPorts.unused(6);
        int[] all = java.util.stream.IntStream.concat(Arrays.stream(first), Arrays.stream(second)).toArray();

        assertThat(Arrays.stream(all).distinct().count()).as("never handed out twice: %s", Arrays.toString(all)).isEqualTo(12);
        for (int port : all) {
            assertThat(port).as("below the ephemeral range").isBetween(10_000, LoopbackPorts.ephemeralRangeStart() - 1);
            try (ServerSocket listener = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(listener.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
