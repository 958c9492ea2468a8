package io.tributary.server.network;

import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client id with control characters and newlines reaches the broker log escaped, on one line; repeated refusals
 * of the same kind write one warning; the metrics count every closed connection by reason.
 */
class ClientTextInLogTest {
    static final String HOSTILE = "evil\nWARN [main] forged line\r\u001b[31m\u0000end";

    /**
     * A Produce v99 request header (an unsupported version, read as a flexible one: an empty tag buffer follows the
     * client id) with {@code clientId}, and no body.
     */
    static byte[] unsupportedRequest(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(11 + id.length).putShort((short) 0).putShort((short) 99).putInt(7)
            .putShort((short) id.length).put(id).put((byte) 0).array();
    }

    @Test
    void aHostileClientIdIsEscapedAndRepeatsAreSuppressed() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        try (BrokerFixture fixture = new BrokerFixture(Map.of())) {
            try {
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                for (int i = 0; i < 5; i++) {
                    try (RawKafkaConnection connection = RawKafkaConnection.open(fixture.port())) {
                        connection.writeFrame(unsupportedRequest(HOSTILE));
                        assertThat(connection.closedByBroker(Duration.ofSeconds(10))).isTrue();
                    }
                }
            } finally {
                System.setErr(originalErr);
            }
            String logged = captured.toString(StandardCharsets.UTF_8);
            assertThat(logged).contains("(client id evil\\nWARN [main] forged line\\r\\u001b[31m\\u0000end)");
            assertThat(logged).doesNotContain("evil\n").doesNotContain("\u001b");
            // other test classes may log to the same stream at the same time: count this broker's client only
            assertThat(logged.lines().filter(line -> line.contains("client id evil"))).as("one warning per 10 s per kind")
                .hasSize(1);
            Await.until("five closes counted as unsupported_api", Duration.ofSeconds(10), () -> fixture.broker().metrics().scrape()
                .contains("tributary_connections_closed_total{reason=\"unsupported_api\"} 5.0"));
        }
    }
}
