package io.tributary.ops.webconsole;

import io.tributary.server.BrokerFixture;
import io.tributary.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How console.listener and console.read.only place the console in the broker, next to /metrics or not at all. */
class ConsoleInBrokerTest {
    @Test
    void offLeavesTheMetricsEndpointAlone() {
        try (BrokerFixture fixture = new BrokerFixture(Map.of(ServerConfig.METRICS_LISTENER, "127.0.0.1:0",
            ServerConfig.CONSOLE_LISTENER, "off"))) {
            ConsoleHttp http = new ConsoleHttp("http://127.0.0.1:" + fixture.broker().metricsAddress().getPort());
            assertThat(http.get("/metrics").status()).isEqualTo(200);
            ConsoleHttp.Reply page = http.get("/");
            assertThat(page.status()).isEqualTo(404);
            assertThat(page.text()).startsWith("Not found: /");
        }
    }

    @Test
    void readOnlyFromTheBrokerConfig() {
        try (BrokerFixture fixture = new BrokerFixture(Map.of(ServerConfig.METRICS_LISTENER, "127.0.0.1:0",
            ServerConfig.CONSOLE_READ_ONLY, "true"))) {
            ConsoleHttp http = new ConsoleHttp("http://127.0.0.1:" + fixture.broker().metricsAddress().getPort());
            assertThat(http.get("/api/info").json().get("readOnly").asBoolean()).isTrue();
            assertThat(http.post("/api/topics", "{\"name\":\"x\",\"partitions\":1}").status()).isEqualTo(403);
            assertThat(http.get("/health/ready").status()).isIn(200, 503);
            assertThat(http.get("/metrics").text()).contains("# TYPE");
        }
    }

    @Test
    void noMetricsListenerMeansNoConsole() {
        try (BrokerFixture fixture = new BrokerFixture(Map.of())) {
            assertThat(fixture.broker().metricsAddress()).isNull();
        }
    }
}
