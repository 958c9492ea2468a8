package io.tributary.clients;

import io.tributary.server.BrokerFixture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The clients' tests can start a broker from the server's test fixtures. */
class ClientsModuleSmokeTest {
    @Test
    void brokerFixtureIsOnTheTestClasspath() {
        try (BrokerFixture broker = new BrokerFixture()) {
            assertThat(broker.bootstrap()).startsWith("127.0.0.1:");
        }
    }
}
