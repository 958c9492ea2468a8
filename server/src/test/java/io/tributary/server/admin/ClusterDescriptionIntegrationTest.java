package io.tributary.server.admin;

import io.tributary.server.BrokerFixture;
import io.tributary.server.RawKafkaConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.tributary.server.admin.AdminTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

/** DescribeCluster through Kafka's AdminClient and, for the endpoint types and advertised listeners, raw requests. */
class ClusterDescriptionIntegrationTest {

    @Test
    void adminSeesOneUnfencedBrokerThatIsAlsoTheController() throws Exception {
        try (BrokerFixture fixture = new BrokerFixture(Map.of("node.id", "3")); Admin admin = fixture.admin()) {
            DescribeClusterResult cluster = admin.describeCluster(
                new DescribeClusterOptions().includeAuthorizedOperations(true).includeFencedBrokers(true));
            assertThat(await(cluster.nodes())).singleElement().satisfies(node -> {
                assertThat(node.id()).isEqualTo(3);
                assertThat(node.host()).isEqualTo("127.0.0.1");
                assertThat(node.port()).isEqualTo(fixture.port());
                assertThat(node.isFenced()).isFalse();
            });
            assertThat(await(cluster.controller()).id()).isEqualTo(3);
            assertThat(await(cluster.clusterId())).isEqualTo(fixture.broker().identity().clusterId());
            // a quorum of one agreed its id before the broker's start returned: served and confirmed from the first request
            assertThat(fixture.broker().cluster().image().clusterId()).isEqualTo(await(cluster.clusterId()));
            assertThat(fixture.broker().identity().confirmed()).isTrue();
            assertThat(await(cluster.authorizedOperations())).containsExactlyInAnyOrder(AclOperation.CREATE,
                AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS,
                AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE);

            assertThat(await(admin.describeCluster().authorizedOperations())).as("not asked for").isNull();
        }
    }

    @Test
    void anAdminBootstrappedWithControllersFindsTheActiveController() throws Exception {
        try (BrokerFixture fixture = new BrokerFixture(Map.of("node.id", "3"));
             Admin admin = Admin.create(Map.of("bootstrap.controllers", "127.0.0.1:" + fixture.port()))) {
            DescribeClusterResult cluster = admin.describeCluster();
            assertThat(await(cluster.controller()).id()).isEqualTo(3);
            assertThat(await(cluster.nodes())).singleElement().satisfies(node -> assertThat(node.port())
                .isEqualTo(fixture.port()));
            assertThat(await(cluster.clusterId())).isEqualTo(fixture.broker().identity().clusterId());
        }
    }

    @Test
    void theBrokersEndpointTypeIsAnsweredWithTheAdvertisedListenerAndSoAreControllers() {
        try (BrokerFixture fixture = new BrokerFixture(Map.of("advertised.listeners", "PLAINTEXT://broker.example:19092"));
             RawKafkaConnection connection = RawKafkaConnection.open(fixture.port())) {
            for (short version = 0; version <= 2; version++) {
                DescribeClusterResponse response = connection.send(new DescribeClusterRequest.Builder(
                    new DescribeClusterRequestData()), version);
                DescribeClusterResponseData data = response.data();
                assertThat(data.errorCode()).as("v%d", version).isZero();
                assertThat(data.controllerId()).isZero();
                assertThat(data.brokers()).singleElement().satisfies(broker -> {
                    assertThat(broker.host()).isEqualTo("broker.example");
                    assertThat(broker.port()).isEqualTo(19092);
                });
                assertThat(response.nodes()).containsOnlyKeys(0);
            }
            // the controller runs beside the broker and answers on its listener: KIP-919's controllers endpoint type
            DescribeClusterResponse controllers = connection.send(new DescribeClusterRequest.Builder(
                new DescribeClusterRequestData().setEndpointType((byte) 2)), (short) 1);
            assertThat(controllers.data().errorCode()).isZero();
            assertThat(controllers.data().endpointType()).isEqualTo((byte) 2);
            assertThat(controllers.data().controllerId()).isZero();
            assertThat(controllers.data().brokers()).singleElement().satisfies(controller -> {
                assertThat(controller.brokerId()).isZero();
                assertThat(controller.host()).isEqualTo("broker.example");
            });
            DescribeClusterResponse unknown = connection.send(new DescribeClusterRequest.Builder(
                new DescribeClusterRequestData().setEndpointType((byte) 3)), (short) 1);
            assertThat(unknown.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE.code());
            assertThat(unknown.data().errorMessage()).contains("endpoint type 3");
            assertThat(unknown.data().brokers()).isEmpty();
        }
    }
}
