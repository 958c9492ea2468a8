package io.tributary.metadata.record;

import io.tributary.metadata.record.MetadataRecord.BrokerFencing;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.metadata.record.MetadataRecord.Partition;
import io.tributary.metadata.record.MetadataRecord.PartitionChange;
import io.tributary.metadata.record.MetadataRecord.ProducerIdBlock;
import io.tributary.metadata.record.MetadataRecord.RegisterBroker;
import io.tributary.metadata.record.MetadataRecord.RoutingFence;
import io.tributary.metadata.record.MetadataRecord.Topic;
import io.tributary.metadata.record.MetadataRecord.TopicConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.UUID;

/** Any record of every type, with field values over their whole ranges (not necessarily a valid image). */
public final class RecordArbitraries {
    private RecordArbitraries() {
    }

    public static Arbitrary<MetadataRecord> records() {
        return Arbitraries.oneOf(registerBroker(), fencing(), topic(), topicConfig(), partition(), partitionChange(),
            producerIds(), routingFence(), removeTopic(), clusterId());
    }

    static Arbitrary<String> text() {
        // No lone surrogates: they do not survive UTF-8, in Java or anywhere else.
        return Arbitraries.strings().withCharRange('a', 'z').withChars("-._ 0189é€中").ofMaxLength(20);
    }

    static Arbitrary<UUID> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
    }

    static Arbitrary<Endpoint> endpoint() {
        return Combinators.combine(text(), text(), Arbitraries.integers().between(0, 65535), text())
            .as(Endpoint::new);
    }

    static Arbitrary<MetadataRecord> registerBroker() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.longs(), endpoint().list().ofMaxSize(4),
            text().injectNull(0.3), Arbitraries.of(true, false)).as(RegisterBroker::new);
    }

    static Arbitrary<MetadataRecord> fencing() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.longs(), Arbitraries.of(true, false))
            .as(BrokerFencing::new);
    }

    static Arbitrary<MetadataRecord> topic() {
        return Combinators.combine(uuids(), text()).as(Topic::new);
    }

    static Arbitrary<MetadataRecord> topicConfig() {
        return Combinators.combine(uuids(), text(), text().injectNull(0.3)).as(TopicConfig::new);
    }

    static Arbitrary<MetadataRecord> partition() {
        return Combinators.combine(uuids(), Arbitraries.integers(), Arbitraries.integers().list().ofMaxSize(5),
                Arbitraries.integers().list().ofMaxSize(5), Arbitraries.integers(), Arbitraries.integers(),
                Arbitraries.integers())
            .as(Partition::new)
            .flatMap(p -> Combinators.combine(Arbitraries.integers().list().ofMaxSize(3),
                    Arbitraries.integers().list().ofMaxSize(3))
                .as((adding, removing) -> new Partition(p.topicId(), p.partition(), p.replicas(), p.isr(), p.leader(),
                    p.leaderEpoch(), p.partitionEpoch(), adding, removing)));
    }

    static Arbitrary<MetadataRecord> partitionChange() {
        return Combinators.combine(uuids(), Arbitraries.integers(), Arbitraries.integers().list().ofMaxSize(5),
                Arbitraries.integers().list().ofMaxSize(5), Arbitraries.integers(), Arbitraries.integers(),
                Arbitraries.integers())
            .as(PartitionChange::new)
            .flatMap(p -> Combinators.combine(Arbitraries.integers().list().ofMaxSize(3),
                    Arbitraries.integers().list().ofMaxSize(3))
                .as((adding, removing) -> new PartitionChange(p.topicId(), p.partition(), p.replicas(), p.isr(),
                    p.leader(), p.leaderEpoch(), p.partitionEpoch(), adding, removing)));
    }

    static Arbitrary<MetadataRecord> producerIds() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.longs(), Arbitraries.longs())
            .as(ProducerIdBlock::new);
    }

    static Arbitrary<MetadataRecord> removeTopic() {
        return uuids().map(MetadataRecord.RemoveTopic::new);
    }

    static Arbitrary<MetadataRecord> clusterId() {
        return text().map(MetadataRecord.ClusterId::new);
    }

    static Arbitrary<MetadataRecord> routingFence() {
        return Combinators.combine(uuids(), Arbitraries.integers(), Arbitraries.integers(),
            Arbitraries.longs().list().ofMaxSize(6)).as(RoutingFence::new);
    }
}
