package io.tributary.server.group;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.Node;
import io.tributary.server.cluster.QuorumBrokerDirectory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** FindCoordinator's answer from the image alone: the leader of the key's partition, on the client's listener. */
class CoordinatorLocatorTest {
    private static final String TOPIC = "__consumer_offsets";
    private static final UUID ID = new UUID(1, 2);

    private final List<String> created = new ArrayList<>();

    private static MetadataImage image() {
        List<MetadataRecord> records = new ArrayList<>();
        for (int broker = 1; broker <= 3; broker++) {
            records.add(new MetadataRecord.RegisterBroker(broker, broker, List.of(
                new Endpoint("CLIENTS", "host-" + broker, 9000 + broker, "PLAINTEXT"),
                new Endpoint("INTERNAL", "internal-" + broker, 19000 + broker, "PLAINTEXT")), null, broker == 3));
        }
        records.add(new MetadataRecord.Topic(ID, TOPIC));
        // partition 0 led by 1, 1 by 2, 2 by nobody, 3 by the fenced broker 3
        int[] leaders = {1, 2, -1, 3};
        for (int p = 0; p < leaders.length; p++) {
            records.add(new MetadataRecord.Partition(ID, p, List.of(1, 2, 3), List.of(1, 2, 3), leaders[p], 4, 4));
        }
        return MetadataImage.EMPTY.apply(records);
    }

    private CoordinatorLocator locator(MetadataImage image) {
        return new CoordinatorLocator(() -> image, new QuorumBrokerDirectory(() -> image, "INTERNAL"), created::add);
    }

    private static String keyOf(int partition) {
        return IntStream.range(0, 1000).mapToObj(i -> "group-" + i)
            .filter(k -> CoordinatorLocator.partitionFor(k, 4) == partition).findFirst().orElseThrow();
    }

    @Test
    void theLeaderOfTheKeysPartitionOnTheClientsListener() {
        CoordinatorLocator locator = locator(image());
        CoordinatorLocator.Located found = locator.locate(TOPIC, keyOf(1), "CLIENTS");
        assertThat(found.error()).isEqualTo(ErrorCode.NONE);
        assertThat(found.node()).isEqualTo(new Node(2, "host-2", 9002));
        assertThat(locator.locate(TOPIC, keyOf(0), "INTERNAL").node()).isEqualTo(new Node(1, "internal-1", 19001));
        assertThat(created).isEmpty();
    }

    @Test
    void noLeaderAFencedLeaderOrAnUnknownListenerIsCoordinatorNotAvailable() {
        CoordinatorLocator locator = locator(image());
        assertThat(locator.locate(TOPIC, keyOf(2), "CLIENTS").error()).isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        assertThat(locator.locate(TOPIC, keyOf(3), "CLIENTS").error()).isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        CoordinatorLocator.Located noListener = locator.locate(TOPIC, keyOf(0), "SSL");
        assertThat(noListener.error()).isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        assertThat(noListener.node()).isEqualTo(Node.NO_NODE);
    }

    @Test
    void aMissingTopicIsCreatedAndMeanwhileNotAvailable() {
        CoordinatorLocator locator = locator(image());
        CoordinatorLocator.Located found = locator.locate("__transaction_state", "txn-1", "CLIENTS");
        assertThat(found.error()).isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        assertThat(created).containsExactly("__transaction_state");
    }

    @Test
    void partitionsFollowKafkasHashOfTheKey() {
        assertThat(CoordinatorLocator.partitionFor("my-group", 50)).isEqualTo(Math.abs("my-group".hashCode()) % 50);
        // a key whose hash is Integer.MIN_VALUE maps to partition 0 (Kafka's Utils.abs), not a negative one
        assertThat(CoordinatorLocator.partitionFor("polygenelubricants", 50)).isZero();
    }
}
