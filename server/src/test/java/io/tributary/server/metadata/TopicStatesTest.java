package io.tributary.server.metadata;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.protocol.routing.RoutingFences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Metadata and DescribeTopicPartitions show of a topic the controller has grown but this broker's publisher has
 * not applied yet: an ordered topic's new partitions stay hidden until the local logs have recorded the growth's
 * fences (DescribeConfigs answers those from the local logs), a hash topic's show at once.
 */
class TopicStatesTest {
    private static final UUID ORDERED = new UUID(7, 1);
    private static final UUID HASHED = new UUID(7, 2);

    @TempDir
    Path dir;
    private LogManager logs;

    @AfterEach
    void close() {
        if (logs != null) {
            logs.close();
        }
    }

    private static MetadataImage imageWith(int orderedPartitions, int hashedPartitions) {
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new MetadataRecord.RegisterBroker(0, 1, List.of(new Endpoint("CLIENTS", "127.0.0.1", 9092, "PLAINTEXT")),
            null, false));
        records.add(new MetadataRecord.Topic(ORDERED, "ordered"));
        records.add(new MetadataRecord.TopicConfig(ORDERED, "routing.mode", "ordered"));
        for (int p = 0; p < orderedPartitions; p++) {
            records.add(new MetadataRecord.Partition(ORDERED, p, List.of(0), List.of(0), 0, 0, 0));
        }
        records.add(new MetadataRecord.Topic(HASHED, "hashed"));
        for (int p = 0; p < hashedPartitions; p++) {
            records.add(new MetadataRecord.Partition(HASHED, p, List.of(0), List.of(0), 0, 0, 0));
        }
        return MetadataImage.EMPTY.apply(records);
    }

    @Test
    void anOrderedTopicsGrowthShowsOnlyOnceItsFencesAreRecordedHere() {
        logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC());
        logs.createTopic("ordered", ORDERED, 6, Map.of("routing.mode", "ordered"));
        logs.createTopic("hashed", HASHED, 6, Map.of());
        AtomicReference<MetadataImage> image = new AtomicReference<>(imageWith(6, 6));
        TopicStates states = new TopicStates(logs, 0, image::get);
        assertThat(states.view().topic("ordered").partitionCount()).isEqualTo(6);

        // The controller committed both growths; the publisher has not applied them to the local logs yet.
        image.set(imageWith(12, 12));
        assertThat(states.view().topic("ordered").partitionCount()).as("no fences for the growth here yet").isEqualTo(6);
        assertThat(states.view().topic(ORDERED).partitionCount()).isEqualTo(6);
        assertThat(states.view().topic("hashed").partitionCount()).isEqualTo(12);

        // What the publisher does on applying the image: fence, record, create; from then on the growth shows.
        logs.createPartitions("ordered", 12);
        assertThat(logs.topic("ordered").routingFences()).isNotEqualTo(RoutingFences.NONE);
        assertThat(states.view().topic("ordered").partitionCount()).isEqualTo(12);
        assertThat(states.view().topic("ordered").partition(11).leader()).isZero();
    }
}
