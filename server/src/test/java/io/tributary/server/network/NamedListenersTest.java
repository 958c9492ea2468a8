package io.tributary.server.network;

import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import io.tributary.server.config.ServerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several named listeners on one broker: each client is answered with the endpoints of the listener it connected
 * through (Metadata, FindCoordinator, DescribeCluster), an advertised.listeners entry replacing the bound address of
 * its listener only.
 */
class NamedListenersTest {
    private static final Map<String, String> TWO_LISTENERS = Map.of(
        ServerConfig.LISTENERS, "INTERNAL://127.0.0.1:0,EXTERNAL://127.0.0.1:0",
        ServerConfig.LISTENER_SECURITY_PROTOCOL_MAP, "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
        ServerConfig.INTER_BROKER_LISTENER_NAME, "INTERNAL");

    @Test
    void eachClientIsToldTheEndpointOfItsOwnListener() throws Exception {
        try (BrokerFixture fixture = new BrokerFixture(TWO_LISTENERS)) {
            List<InetSocketAddress> bound = fixture.broker().boundAddresses();
            assertThat(bound).hasSize(2);
            for (InetSocketAddress address : bound) {
                Properties properties = new Properties();
                properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + address.getPort());
                properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
                properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
                try (Admin admin = Admin.create(properties)) {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
                    assertThat(nodes).extracting(Node::port).containsExactly(address.getPort());
                }
            }
        }
    }

    @Test
    void anAdvertisedEndpointReplacesOnlyItsListenersAddress() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(TWO_LISTENERS);
        settings.put(ServerConfig.ADVERTISED_LISTENERS, "EXTERNAL://broker.example.com:19092");
        try (BrokerFixture fixture = new BrokerFixture(settings)) {
            int internal = fixture.broker().boundAddresses().get(0).getPort();
            int external = fixture.broker().boundAddresses().get(1).getPort();
            try (RawKafkaConnection raw = RawKafkaConnection.open(external)) {
                MetadataResponse metadata = raw.send(new MetadataRequest.Builder(List.of(), false), (short) 12);
                assertThat(metadata.brokers()).extracting(Node::host, Node::port).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("broker.example.com", 19092));
                // the first look-up creates __consumer_offsets and answers COORDINATOR_NOT_AVAILABLE, as Kafka's does
                FindCoordinatorResponse coordinator = null;
                for (int attempt = 0; attempt < 100; attempt++) {
                    coordinator = raw.send(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                        .setKey("g").setKeyType((byte) 0)), (short) 3);
                    if (coordinator.data().errorCode() != org.apache.kafka.common.protocol.Errors.COORDINATOR_NOT_AVAILABLE.code()) {
                        break;
                    }
                    fixture.broker().offsetsTopicLoaded().get(10, TimeUnit.SECONDS);
                }
                assertThat(coordinator.data().errorCode()).isZero();
                assertThat(coordinator.data().host()).isEqualTo("broker.example.com");
                assertThat(coordinator.data().port()).isEqualTo(19092);
            }
            try (RawKafkaConnection raw = RawKafkaConnection.open(internal)) {
                MetadataResponse metadata = raw.send(new MetadataRequest.Builder(List.of(), false), (short) 12);
                assertThat(metadata.brokers()).extracting(Node::host, Node::port).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("127.0.0.1", internal));
            }
        }
    }
}
