package io.tributary.metadata.image;

import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.BrokerFencing;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.metadata.record.MetadataRecord.Partition;
import io.tributary.metadata.record.MetadataRecord.PartitionChange;
import io.tributary.metadata.record.MetadataRecord.ProducerIdBlock;
import io.tributary.metadata.record.MetadataRecord.RegisterBroker;
import io.tributary.metadata.record.MetadataRecord.RoutingFence;
import io.tributary.metadata.record.MetadataRecord.Topic;
import io.tributary.metadata.record.MetadataRecord.TopicConfig;
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
