package io.tributary.server.cluster;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord.BrokerFencing;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.metadata.record.MetadataRecord.RegisterBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller id Metadata and DescribeCluster (brokers) report: a live broker, as Kafka's KRaft brokers do. */
@Timeout(30)
class ControllerIdForClientsTest {
    private static RegisterBroker broker(int id, long epoch, boolean fenced) {
        return new RegisterBroker(id, epoch, List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092 + id, "PLAINTEXT")),
            null, fenced);
    }

    @Test
    void theActiveControllerWhenItsBrokerIsLiveElseTheLowestLiveBrokerElseNone() {
        MetadataImage three = MetadataImage.EMPTY.apply(List.of(broker(1, 1, false), broker(2, 2, false),
            broker(3, 3, false)));
        assertThat(ClusterMetadata.controllerIdForClients(three, 2)).as("a live leader").isEqualTo(2);
        assertThat(ClusterMetadata.controllerIdForClients(three, -1)).as("no leader known").isEqualTo(1);

        MetadataImage leaderFenced = three.apply(new BrokerFencing(2, 2, true));
        assertThat(ClusterMetadata.controllerIdForClients(leaderFenced, 2)).as("a fenced leader").isEqualTo(1);
        MetadataImage twoFenced = leaderFenced.apply(new BrokerFencing(1, 1, true));
        assertThat(ClusterMetadata.controllerIdForClients(twoFenced, 2)).isEqualTo(3);
        assertThat(ClusterMetadata.controllerIdForClients(three, 7)).as("a leader that is no registered broker")
            .isEqualTo(1);

        MetadataImage allFenced = twoFenced.apply(new BrokerFencing(3, 3, true));
        assertThat(ClusterMetadata.controllerIdForClients(allFenced, 2)).isEqualTo(-1);
        assertThat(ClusterMetadata.controllerIdForClients(MetadataImage.EMPTY, 0)).as("nothing registered yet")
            .isEqualTo(-1);
    }
}
