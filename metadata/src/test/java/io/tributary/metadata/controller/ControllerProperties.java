package io.tributary.metadata.controller;

import io.tributary.metadata.image.ImageSnapshot;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.image.TopicImage;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.protocol.ErrorCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State-machine properties of the controller's decisions: random sequences of broker and partition events, each
 * decided on the current image and its records applied (an invariant broken by a decision fails the property in
 * {@code apply}), keep every partition led by an unfenced in-sync broker, never move an epoch back, never hand out a
 * producer id twice, and survive a snapshot round trip.
 */
class ControllerProperties {
    /** One thing that happens to the cluster; indices are taken modulo what exists. */
    sealed interface Event permits Register, Heartbeat, Expire, Create, Alter, Preferred, ProducerIds {
    }

    record Register(int broker, int rack) implements Event {
    }

    record Heartbeat(int broker, boolean wantFence, boolean wantShutdown, boolean unclean) implements Event {
    }

    record Expire(int broker, boolean unclean) implements Event {
    }

    record Create(int partitions, int replicationFactor) implements Event {
    }

    record Alter(int topic, int partition, int isrMask, boolean staleEpoch) implements Event {
    }

    record Preferred(int topic, int partition) implements Event {
    }

    record ProducerIds(int broker) implements Event {
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Integer> broker = Arbitraries.integers().between(0, 5);
        Arbitrary<Boolean> flag = Arbitraries.of(true, false);
        Arbitrary<Boolean> rarely = Arbitraries.of(false, false, false, true);
        Arbitrary<Register> register = Combinators.combine(broker, Arbitraries.integers().between(-1, 2))
            .as(Register::new);
        Arbitrary<Heartbeat> heartbeat = Combinators.combine(broker, rarely, rarely, flag).as(Heartbeat::new);
        Arbitrary<Expire> expire = Combinators.combine(broker, flag).as(Expire::new);
        Arbitrary<Create> create = Combinators.combine(Arbitraries.integers().between(1, 4),
            Arbitraries.integers().between(1, 4)).as(Create::new);
        Arbitrary<Alter> alter = Combinators.combine(Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 63), rarely).as(Alter::new);
        Arbitrary<Preferred> preferred = Combinators.combine(Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, 3)).as(Preferred::new);
        Arbitrary<ProducerIds> producerIds = broker.map(ProducerIds::new);
        // Weights by repetition: heartbeats and ISR changes are the common events.
        List<Arbitrary<? extends Event>> choices = new ArrayList<>(List.of(register, register, register,
            heartbeat, heartbeat, heartbeat, heartbeat, heartbeat, heartbeat, expire, expire, create, create,
            alter, alter, alter, alter, alter, alter, preferred, preferred, producerIds));
        Arbitrary<Event> event = Arbitraries.oneOf(choices);
        return event.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void randomEventSequencesKeepEveryInvariant(@ForAll("events") List<Event> events) {
        MetadataImage image = MetadataImage.EMPTY;
        Map<String, int[]> epochs = new HashMap<>();
        long issuedProducerIds = 0;
        int created = 0;
        for (Event event : events) {
            ControllerResult<?> result = decide(image, event, created);
            if (result == null) {
                continue; // nothing to ask about yet (no topic, no leader)
            }
            if (event instanceof Create && !result.isRefused()) {
                created++;
            }
            if (event instanceof Alter alter && alter.staleEpoch() && !result.isRefused()) {
                throw new AssertionError("an AlterPartition on a stale partition epoch was accepted: " + event);
            }
            if (result.response() instanceof ProducerIdAllocation.Block block) {
                assertThat(block.firstProducerId()).as("blocks never overlap").isGreaterThanOrEqualTo(issuedProducerIds);
                issuedProducerIds = block.firstProducerId() + block.size();
            }
            image = image.apply(result.records());
            checkInvariants(image, epochs);
        }
        assertThat(ImageSnapshot.decode(ImageSnapshot.encode(image))).isEqualTo(image);
    }

    /** The controller's decision on {@code event}, or null when the event cannot be asked now. */
    private static ControllerResult<?> decide(MetadataImage image, Event event, int created) {
        if (event instanceof Register e) {
            String rack = e.rack() < 0 ? null : "rack-" + e.rack();
            return BrokerLifecycle.register(image, new BrokerLifecycle.Registration(e.broker(), List.of(), rack), false);
        }
        if (event instanceof Heartbeat e) {
            long epoch = image.broker(e.broker()) == null ? 0 : image.broker(e.broker()).brokerEpoch();
            return BrokerLifecycle.heartbeat(image, e.broker(), epoch, e.wantFence(), e.wantShutdown(), e.unclean());
        }
        if (event instanceof Expire e) {
            // Time passes: every broker heartbeated at 10 s except this one, last seen at 0; now is 10 s.
            Map<Integer, Long> lastSeen = new HashMap<>();
            image.brokers().keySet().forEach(id -> lastSeen.put(id, 10_000L));
            lastSeen.put(e.broker(), 0L);
            return ControllerResult.of(BrokerLifecycle.fenceExpired(image, lastSeen, 10_000, 9_000, e.unclean()), null);
        }
        if (event instanceof Create e) {
            return ReplicaPlacement.createTopic(image, new ReplicaPlacement.CreateTopic("t" + created,
                new UUID(42, created), e.partitions(), e.replicationFactor(), Map.of()));
        }
        List<TopicImage> topics = LeaderElection.sortedTopics(image);
        if (event instanceof ProducerIds e) {
            long epoch = image.broker(e.broker()) == null ? 0 : image.broker(e.broker()).brokerEpoch();
            return ProducerIdAllocation.allocate(image, e.broker(), epoch);
        }
        if (topics.isEmpty()) {
            return null;
        }
        if (event instanceof Preferred e) {
            TopicImage topic = topics.get(e.topic() % topics.size());
            return LeaderElection.electPreferred(image, topic.topicId(), e.partition() % topic.partitions().size());
        }
        Alter e = (Alter) event;
        TopicImage topic = topics.get(e.topic() % topics.size());
        int p = e.partition() % topic.partitions().size();
        PartitionState s = topic.partitions().get(p);
        if (!s.hasLeader()) {
            return null;
        }
        List<Integer> isr = new ArrayList<>();
        isr.add(s.leader());
        for (int i = 0; i < s.replicas().size(); i++) {
            int r = s.replicas().get(i);
            if (r != s.leader() && (e.isrMask() & (1 << i)) != 0) {
                isr.add(r);
            }
        }
        ControllerResult<PartitionState> result = IsrChange.alterPartition(image, new IsrChange.Request(s.leader(),
            image.broker(s.leader()).brokerEpoch(), topic.topicId(), p, s.leaderEpoch(),
            e.staleEpoch() ? s.partitionEpoch() - 1 : s.partitionEpoch(), isr));
        if (e.staleEpoch()) {
            assertThat(result.error()).isEqualTo(ErrorCode.INVALID_UPDATE_VERSION);
        }
        return result;
    }

    private static void checkInvariants(MetadataImage image, Map<String, int[]> epochs) {
        for (TopicImage topic : image.topics()) {
            for (int p = 0; p < topic.partitions().size(); p++) {
                PartitionState s = topic.partitions().get(p);
                assertThat(s.problem()).isNull();
                if (s.hasLeader()) {
                    assertThat(image.isUnfenced(s.leader())).as("leader %s of %s-%s is unfenced", s.leader(),
                        topic.name(), p).isTrue();
                    for (int member : s.isr()) {
                        assertThat(image.isUnfenced(member)).as("ISR member %s of %s-%s", member, topic.name(), p)
                            .isTrue();
                    }
                }
                String key = topic.name() + "-" + p;
                int[] before = epochs.get(key);
                if (before != null) {
                    assertThat(s.leaderEpoch()).as("leader epoch of %s", key).isGreaterThanOrEqualTo(before[0]);
                    assertThat(s.partitionEpoch()).as("partition epoch of %s", key).isGreaterThanOrEqualTo(before[1]);
                }
                epochs.put(key, new int[] {s.leaderEpoch(), s.partitionEpoch()});
            }
        }
    }
}
