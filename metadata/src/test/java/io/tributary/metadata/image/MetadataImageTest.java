package io.tributary.metadata.image;

import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.BrokerFencing;
import io.tributary.metadata.record.MetadataRecord.ClusterId;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.metadata.record.MetadataRecord.Partition;
import io.tributary.metadata.record.MetadataRecord.PartitionChange;
import io.tributary.metadata.record.MetadataRecord.ProducerIdBlock;
import io.tributary.metadata.record.MetadataRecord.RegisterBroker;
import io.tributary.metadata.record.MetadataRecord.RoutingFence;
import io.tributary.metadata.record.MetadataRecord.Topic;
import io.tributary.metadata.record.MetadataRecord.TopicConfig;
import io.tributary.metadata.record.RecordCodec;
import io.tributary.metadata.record.UnknownRecordException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataImageTest {
    static final UUID T = new UUID(1, 1);

    /** Brokers 1, 2, 3 (epochs 1..3, unfenced) and topic "t" with partition 0 on 1, 2, 3 led by 1. */
    static MetadataImage threeBrokersOnePartition() {
        return MetadataImage.EMPTY.apply(List.of(
            broker(1, 1), broker(2, 2), broker(3, 3),
            new Topic(T, "t"),
            new Partition(T, 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 0, 0)));
    }

    static RegisterBroker broker(int id, long epoch) {
        return new RegisterBroker(id, epoch, List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092 + id, "PLAINTEXT")),
            "rack-" + id, false);
    }

    @Test
    void appliesRecordsInOrderWithoutChangingTheImageBefore() {
        MetadataImage before = threeBrokersOnePartition();
        MetadataImage after = before.apply(new PartitionChange(T, 0, List.of(1, 2, 3), List.of(1, 2), 1, 0, 1));
        assertThat(before.partition(T, 0).isr()).containsExactly(1, 2, 3);
        assertThat(after.partition(T, 0).isr()).containsExactly(1, 2);
        assertThat(after.topic("t").topicId()).isEqualTo(T);
        assertThat(after.unfencedBrokerIds()).containsExactly(1, 2, 3);
    }

    @Test
    void refusesALeaderOutsideTheIsr() {
        assertRefused(threeBrokersOnePartition(), new PartitionChange(T, 0, List.of(1, 2, 3), List.of(2, 3), 1, 1, 1),
            "leader 1 is not in the ISR");
    }

    @Test
    void refusesAnIsrMemberThatIsNotAReplica() {
        assertRefused(threeBrokersOnePartition(), new PartitionChange(T, 0, List.of(1, 2), List.of(1, 3), 1, 0, 1),
            "ISR member 3 is not a replica");
    }

    @Test
    void refusesEpochsThatDoNotMoveForward() {
        MetadataImage image = threeBrokersOnePartition().apply(
            new PartitionChange(T, 0, List.of(1, 2, 3), List.of(2, 3), 2, 5, 7));
        assertRefused(image, new PartitionChange(T, 0, List.of(1, 2, 3), List.of(2), 2, 5, 7),
            "partition epoch 7 is not above the current 7");
        assertRefused(image, new PartitionChange(T, 0, List.of(1, 2, 3), List.of(2, 3), 3, 4, 8),
            "leader epoch 4 goes back from 5");
        assertRefused(image, new PartitionChange(T, 0, List.of(1, 2, 3), List.of(2, 3), 3, 5, 8),
            "under the same leader epoch 5");
    }

    @Test
    void refusesPartitionsOnUnregisteredBrokersOrOutOfOrder() {
        assertRefused(threeBrokersOnePartition(), new Partition(T, 1, List.of(4), List.of(4), 4, 0, 0),
            "replica 4 is not a registered broker");
        assertRefused(threeBrokersOnePartition(), new Partition(T, 2, List.of(1), List.of(1), 1, 0, 0),
            "created out of order");
    }

    @Test
    void brokerEpochsOnlyGrowAndFencingNamesTheCurrentIncarnation() {
        MetadataImage image = threeBrokersOnePartition();
        assertRefused(image, broker(1, 3), "broker epoch 3 is not above the highest issued, 3");
        assertRefused(image, new BrokerFencing(2, 1, true), "broker 2 epoch 1 is not the registered 2");
        assertThat(image.apply(new BrokerFencing(2, 2, true)).unfencedBrokerIds()).containsExactly(1, 3);
    }

    @Test
    void topicNamesAndIdsAreUnique() {
        assertRefused(threeBrokersOnePartition(), new Topic(new UUID(2, 2), "t"), "topic t already exists");
        assertRefused(threeBrokersOnePartition(), new Topic(T, "u"), "already used by t");
    }

    @Test
    void producerIdBlocksOnlyMoveForward() {
        MetadataImage image = threeBrokersOnePartition().apply(new ProducerIdBlock(1, 1, 1000));
        assertThat(image.nextProducerId()).isEqualTo(1000);
        assertRefused(image, new ProducerIdBlock(2, 2, 1000), "not above the current 1000");
    }

    @Test
    void routingGrowthsChainAndFencesNeverDecrease() {
        MetadataImage image = threeBrokersOnePartition().apply(new RoutingFence(T, 1, 2, List.of(10L)));
        assertRefused(image, new RoutingFence(T, 3, 4, List.of(1L, 2L, 3L)), "the last one ended at 2");
        assertRefused(image, new RoutingFence(T, 2, 3, List.of(9L, 0L)), "fence 9 of partition 0 is below");
        assertRefused(image, new RoutingFence(T, 2, 3, List.of(10L)), "1 fences for 2 old partitions");
        assertThat(image.apply(new RoutingFence(T, 2, 3, List.of(10L, 0L))).topic(T).growths()).hasSize(2);
    }

    @Test
    void aSnapshotRebuildsAnEqualImage() {
        MetadataImage image = threeBrokersOnePartition().apply(List.<MetadataRecord>of(
            new TopicConfig(T, "cleanup.policy", "compact"),
            new PartitionChange(T, 0, List.of(1, 2, 3), List.of(2, 3), 2, 1, 1),
            new BrokerFencing(1, 1, true),
            new ProducerIdBlock(2, 2, 2000),
            new RoutingFence(T, 1, 3, List.of(42L))));
        MetadataImage restored = ImageSnapshot.decode(ImageSnapshot.encode(image));
        assertThat(restored).isEqualTo(image);
        assertThat(restored.nextProducerId()).isEqualTo(2000);
        assertThat(restored.topic("t").configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void theClusterIdIsWrittenOnceAndNeverChanges() {
        MetadataImage image = threeBrokersOnePartition();
        assertThat(image.clusterId()).isNull();
        MetadataImage agreed = image.apply(new ClusterId("aaaaaaaaaaaaaaaaaaaaaa"));
        assertThat(agreed.clusterId()).isEqualTo("aaaaaaaaaaaaaaaaaaaaaa");
        assertThat(agreed.topic("t")).isEqualTo(image.topic("t"));
        assertThat(agreed).isNotEqualTo(image);
        // a second controller proposing the same id (a retried write) changes nothing; another id is refused
        assertThat(agreed.apply(new ClusterId("aaaaaaaaaaaaaaaaaaaaaa"))).isEqualTo(agreed);
        assertRefused(agreed, new ClusterId("bbbbbbbbbbbbbbbbbbbbbb"), "the cluster id is already aaaaaaaaaaaaaaaaaaaaaa");
        assertRefused(image, new ClusterId(" "), "blank cluster id");
        // later records keep it
        assertThat(agreed.apply(new BrokerFencing(1, 1, true)).clusterId()).isEqualTo("aaaaaaaaaaaaaaaaaaaaaa");
        assertThat(agreed.apply(new ProducerIdBlock(2, 2, 1000)).clusterId()).isEqualTo("aaaaaaaaaaaaaaaaaaaaaa");
    }

    @Test
    void aSnapshotCarriesTheClusterIdFirst() {
        MetadataImage image = threeBrokersOnePartition().apply(new ClusterId("MkU3OEVBNTcwNTJENDM2Qk"));
        assertThat(image.toRecords().get(0)).isEqualTo(new ClusterId("MkU3OEVBNTcwNTJENDM2Qk"));
        MetadataImage restored = ImageSnapshot.decode(ImageSnapshot.encode(image));
        assertThat(restored).isEqualTo(image);
        assertThat(restored.clusterId()).isEqualTo("MkU3OEVBNTcwNTJENDM2Qk");
        assertThat(RecordCodec.decodeBatch(RecordCodec.encodeBatch(List.of(new ClusterId("MkU3OEVBNTcwNTJENDM2Qk")))))
            .containsExactly(new ClusterId("MkU3OEVBNTcwNTJENDM2Qk"));
    }

    /** A snapshot as written before the CLUSTER_ID record existed: broker 1, epoch 1, one PLAINTEXT listener, no rack. */
    private static final String SNAPSHOT_WITHOUT_CLUSTER_ID = "54524d5300" // magic, version 0
        + "0000000001" // batch v0, one record
        + "010000000038" // REGISTER_BROKER v0, 56-byte body
        + "000000010000000000000001" + "00000001" // broker 1 epoch 1, one endpoint
        + "0009504c41494e54455854" + "00093132372e302e302e31" + "00002384" + "0009504c41494e54455854"
        + "ffff00"; // no rack, unfenced

    @Test
    void aSnapshotWrittenBeforeTheClusterIdRecordLoadsWithoutOne() {
        byte[] bytes = java.util.HexFormat.of().parseHex(SNAPSHOT_WITHOUT_CLUSTER_ID);
        MetadataImage image = ImageSnapshot.decode(bytes);
        assertThat(image.clusterId()).isNull();
        assertThat(image.broker(1).endpoints()).containsExactly(new Endpoint("PLAINTEXT", "127.0.0.1", 9092, "PLAINTEXT"));
        // an image without a cluster id is written exactly as before
        assertThat(ImageSnapshot.encode(image)).isEqualTo(bytes);
        // and once the controller agreed one, the next snapshot carries it
        assertThat(ImageSnapshot.decode(ImageSnapshot.encode(image.apply(new ClusterId("x")))).clusterId()).isEqualTo("x");
    }

    @Test
    void aSnapshotOfAnotherFormatIsRefused() {
        byte[] bytes = ImageSnapshot.encode(threeBrokersOnePartition());
        bytes[4] = 1;
        assertThatThrownBy(() -> ImageSnapshot.decode(bytes)).isInstanceOf(UnknownRecordException.class)
            .hasMessageContaining("metadata snapshot version 1");
    }

    static void assertRefused(MetadataImage image, MetadataRecord record, String violation) {
        assertThatThrownBy(() -> image.apply(record))
            .isInstanceOfSatisfying(MetadataInvariantException.class, e -> {
                assertThat(e.record()).isEqualTo(record);
                assertThat(e.violation()).contains(violation);
            });
    }
}
