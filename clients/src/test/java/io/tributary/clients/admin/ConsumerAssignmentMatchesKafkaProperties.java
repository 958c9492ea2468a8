package io.tributary.clients.admin;

import io.tributary.clients.TopicPartition;
import io.tributary.protocol.MalformedMessageException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin's read of a member's assignment against the bytes Kafka's consumer writes, in every version. */
class ConsumerAssignmentMatchesKafkaProperties {

    @Provide
    Arbitrary<List<org.apache.kafka.common.TopicPartition>> partitions() {
        Arbitrary<org.apache.kafka.common.TopicPartition> partition = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20)
            .flatMap(topic -> Arbitraries.integers().between(0, 500).map(p -> new org.apache.kafka.common.TopicPartition(topic, p)));
        return partition.list().ofMaxSize(30).uniqueElements();
    }

    @Property(tries = 300)
    void readsThePartitionsKafkaWrote(@ForAll("partitions") List<org.apache.kafka.common.TopicPartition> assigned,
                                      @ForAll @IntRange(min = 0, max = 3) int version,
                                      @ForAll boolean withUserData) {
        ByteBuffer userData = withUserData ? ByteBuffer.wrap(new byte[] {1, 2, 3}) : null;
        ByteBuffer bytes = ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(assigned, userData), (short) version);

        List<TopicPartition> read = ConsumerAssignment.partitions(bytes);

        assertThat(read).containsExactlyInAnyOrderElementsOf(
            assigned.stream().map(tp -> new TopicPartition(tp.topic(), tp.partition())).toList());
        assertThat(bytes.remaining()).as("the buffer is not consumed").isPositive();
    }

    @Example
    void anEmptyAssignmentHasNoPartitions() {
        assertThat(ConsumerAssignment.partitions(ByteBuffer.allocate(0))).isEmpty();
        assertThat(ConsumerAssignment.partitions(null)).isEmpty();
    }

    @Example
    void truncatedBytesAreRefusedNamingWhatIsMissing() {
        ByteBuffer bytes = ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(
            List.of(new org.apache.kafka.common.TopicPartition("orders", 0), new org.apache.kafka.common.TopicPartition("orders", 1))));
        ByteBuffer cut = bytes.duplicate().limit(bytes.limit() - 6);
        assertThatThrownBy(() -> ConsumerAssignment.partitions(cut)).isInstanceOf(MalformedMessageException.class)
            .hasMessageContaining("needs");
        ByteBuffer negative = ByteBuffer.allocate(2).putShort((short) -1).flip();
        assertThatThrownBy(() -> ConsumerAssignment.partitions(negative)).hasMessage("consumer assignment version -1 is negative");
    }
}
