package io.tributary.clients.consumer.assignor;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.MalformedMessageException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The consumer protocol against kafka-clients' {@code ConsumerProtocol} as the oracle: our bytes equal Kafka's at
 * every version, and each side reads the other's.
 */
class ConsumerProtocolProperties {

    @Property(tries = 300)
    void subscriptionBytesMatchKafka(@ForAll("subscriptions") Subscription ours, @ForAll @IntRange(min = 0, max = 3) int v) {
        short version = (short) v;
        ByteBuffer kafka = ConsumerProtocol.serializeSubscription(toKafka(ours), version);
        ByteBuffer encoded = io.tributary.clients.consumer.assignor.ConsumerProtocol.encodeSubscription(ours, version);
        assertThat(bytes(encoded)).isEqualTo(bytes(kafka));

        Subscription read = io.tributary.clients.consumer.assignor.ConsumerProtocol.decodeSubscription(kafka);
        assertThat(read.topics()).containsExactlyElementsOf(ours.topics().stream().sorted().toList());
        assertThat(read.userData()).isEqualTo(ours.userData());
        assertThat(read.ownedPartitions()).containsExactlyElementsOf(version >= 1 ? sorted(ours.ownedPartitions()) : List.of());
        assertThat(read.generationId()).isEqualTo(version >= 2 ? ours.generationId() : -1);
        assertThat(read.rackId()).isEqualTo(version >= 3 ? ours.rackId() : null);

        ConsumerPartitionAssignor.Subscription back = ConsumerProtocol.deserializeSubscription(encoded.duplicate());
        assertThat(back.topics()).containsExactlyElementsOf(read.topics());
        assertThat(back.ownedPartitions()).hasSize(read.ownedPartitions().size());
    }

    @Property(tries = 300)
    void assignmentBytesMatchKafka(@ForAll("partitionLists") List<TopicPartition> partitions, @ForAll("userData") ByteBuffer userData,
                                   @ForAll @IntRange(min = 0, max = 3) int v) {
        short version = (short) v;
        Assignment ours = new Assignment(partitions, userData);
        ByteBuffer kafka = ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(
            partitions.stream().map(tp -> new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition())).toList(),
            userData == null ? null : userData.duplicate()), version);
        ByteBuffer encoded = io.tributary.clients.consumer.assignor.ConsumerProtocol.encodeAssignment(ours, version);
        assertThat(bytes(encoded)).isEqualTo(bytes(kafka));

        Assignment read = io.tributary.clients.consumer.assignor.ConsumerProtocol.decodeAssignment(kafka);
        // Grouped by topic in order of first appearance, as both sides encode it.
        List<TopicPartition> grouped = new ArrayList<>();
        io.tributary.clients.consumer.assignor.ConsumerProtocol.groupByTopic(partitions)
            .forEach((topic, ps) -> ps.forEach(p -> grouped.add(new TopicPartition(topic, p))));
        assertThat(read.partitions()).containsExactlyElementsOf(grouped);
        assertThat(read.userData()).isEqualTo(userData);
    }

    @Test
    void aNewerVersionIsReadAsTheLatestAndItsExtraFieldsAreIgnored() {
        Subscription s = new Subscription(List.of("a", "b"), null, List.of(new TopicPartition("a", 1)), 7, "rack-1", null);
        ByteBuffer v3 = io.tributary.clients.consumer.assignor.ConsumerProtocol.encodeSubscription(s, (short) 3);
        ByteBuffer v9 = ByteBuffer.allocate(v3.remaining() + 5);
        v9.putShort((short) 9).put(v3.duplicate().position(2)).put(new byte[] {1, 2, 3, 4, 5}).flip();
        Subscription read = io.tributary.clients.consumer.assignor.ConsumerProtocol.decodeSubscription(v9);
        assertThat(read).isEqualTo(s);
        assertThat(ConsumerProtocol.deserializeSubscription(v9.duplicate()).generationId()).contains(7);
    }

    @Test
    void malformedInputIsRefusedWithTheProblem() {
        assertThatThrownBy(() -> io.tributary.clients.consumer.assignor.ConsumerProtocol.decodeSubscription(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff})))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("version -1 is negative");
        assertThatThrownBy(() -> io.tributary.clients.consumer.assignor.ConsumerProtocol.decodeAssignment(ByteBuffer.wrap(new byte[] {0})))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("too short");
        ByteBuffer full = io.tributary.clients.consumer.assignor.ConsumerProtocol.encodeAssignment(
            new Assignment(List.of(new TopicPartition("topic", 3))));
        for (int cut = 2; cut < full.remaining(); cut++) {
            ByteBuffer truncated = full.duplicate().limit(cut);
            assertThatThrownBy(() -> io.tributary.clients.consumer.assignor.ConsumerProtocol.decodeAssignment(truncated))
                .isInstanceOf(MalformedMessageException.class);
        }
        assertThatThrownBy(() -> io.tributary.clients.consumer.assignor.ConsumerProtocol.encodeAssignment(
            new Assignment(List.of()), (short) 4)).hasMessageContaining("version 4 is out of range [0, 3]");
    }

    static ConsumerPartitionAssignor.Subscription toKafka(Subscription s) {
        return new ConsumerPartitionAssignor.Subscription(s.topics(), s.userData() == null ? null : s.userData().duplicate(),
            s.ownedPartitions().stream().map(tp -> new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition())).toList(),
            s.generationId(), Optional.ofNullable(s.rackId()));
    }

    private static List<TopicPartition> sorted(List<TopicPartition> partitions) {
        return partitions.stream().sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition)).toList();
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Provide
    Arbitrary<Subscription> subscriptions() {
        Arbitrary<List<String>> topics = topicNames().list().uniqueElements().ofMaxSize(5);
        Arbitrary<String> rack = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6).injectNull(0.3);
        return Combinators.combine(topics, userData(), partitionLists(), Arbitraries.integers().between(-1, 1000), rack)
            .as((t, u, owned, generation, r) -> new Subscription(t, u, owned, generation, r, null));
    }

    @Provide
    Arbitrary<List<TopicPartition>> partitionLists() {
        return Combinators.combine(topicNames(), Arbitraries.integers().between(0, 30)).as(TopicPartition::new)
            .list().uniqueElements().ofMaxSize(12);
    }

    @Provide
    Arbitrary<ByteBuffer> userData() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(ByteBuffer::wrap).injectNull(0.4);
    }

    private static Arbitrary<String> topicNames() {
        return Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(4);
    }
}
