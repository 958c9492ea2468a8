package io.tributary.server.network;

import io.tributary.server.Await;
import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** max.connections.per.ip and its overrides: a listener closes connections beyond the limit at once and keeps serving. */
class ConnectionLimitTest {
    private static ApiVersionsResponse apiVersions(RawKafkaConnection raw) {
        return raw.send(new ApiVersionsRequest.Builder((short) 3), (short) 3);
    }

    private static double limitCloses(BrokerFixture fixture) {
        return fixture.broker().metrics().scrape().lines()
            .filter(line -> line.startsWith("tributary_connections_closed_total{reason=\"connection_limit\"}"))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void connectionsBeyondThePerIpLimitAreClosed() {
        try (BrokerFixture fixture = new BrokerFixture(Map.of("max.connections.per.ip", "2"))) {
            try (RawKafkaConnection first = RawKafkaConnection.open(fixture.port());
                 RawKafkaConnection second = RawKafkaConnection.open(fixture.port())) {
                assertThat(apiVersions(first).data().errorCode()).isZero();
                assertThat(apiVersions(second).data().errorCode()).isZero();
                try (RawKafkaConnection third = RawKafkaConnection.open(fixture.port())) {
                    assertThat(third.closedByBroker(Duration.ofSeconds(10))).isTrue();
                }
                assertThat(apiVersions(first).data().errorCode()).as("the others keep being served").isZero();
            }
            assertThat(limitCloses(fixture)).isEqualTo(1);
            // once the two have closed, new connections are accepted again
            Await.until("a new connection accepted", Duration.ofSeconds(10), () -> {
                try (RawKafkaConnection again = RawKafkaConnection.open(fixture.port())) {
                    return apiVersions(again).data().errorCode() == 0;
                } catch (RuntimeException closed) {
                    return false;
                }
            });
        }
    }

    @Test
    void anOverrideReplacesThePerIpLimitAndMaxConnectionsCapsTheListener() {
        try (BrokerFixture fixture = new BrokerFixture(Map.of("max.connections.per.ip", "1",
                "max.connections.per.ip.overrides", "127.0.0.1:3", "max.connections", "2"))) {
            try (RawKafkaConnection first = RawKafkaConnection.open(fixture.port());
                 RawKafkaConnection second = RawKafkaConnection.open(fixture.port())) {
                assertThat(apiVersions(first).data().errorCode()).isZero();
                assertThat(apiVersions(second).data().errorCode()).isZero();
                try (RawKafkaConnection third = RawKafkaConnection.open(fixture.port())) {
                    assertThat(third.closedByBroker(Duration.ofSeconds(10))).as("max.connections=2").isTrue();
                }
            }
        }
    }
}
