package io.tributary.server.txn;

import io.tributary.protocol.TopicPartition;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogKey;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue.PartitionsSchema;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code __transaction_state} records byte for byte as Kafka 4.3 writes them: our key and value (v0 and v1 with its
 * tagged fields) read by Kafka's generated {@code TransactionLogKey/Value}, and Kafka's bytes read by ours.
 */
class TransactionLogFormatTest {
    private static final io.tributary.server.txn.TransactionLogValue VALUE = new io.tributary.server.txn.TransactionLogValue(
        4242, 41, 43, (short) 7, (short) -1, 60_000, TransactionState.ONGOING,
        Set.of(new TopicPartition("a", 1), new TopicPartition("a", 0), new TopicPartition("b", 3)), 1_700_000_000_123L,
        1_700_000_000_000L, (short) 2);

    @Test
    void keysAreKafkas() {
        ByteBuffer ours = TransactionLogFormat.key("my-txn");
        ByteBuffer body = ours.duplicate();
        assertThat(body.getShort()).isEqualTo((short) 0);
        TransactionLogKey kafka = new TransactionLogKey(new ByteBufferAccessor(body), (short) 0);
        assertThat(kafka.transactionalId()).isEqualTo("my-txn");
        assertThat(TransactionLogFormat.readKey(ours)).isEqualTo("my-txn");
    }

    @Test
    void valuesOfBothVersionsAreReadByKafkaAndKafkasAreReadByUs() {
        for (short version = 0; version <= 1; version++) {
            ByteBuffer ours = TransactionLogFormat.value(VALUE, version);
            ByteBuffer body = ours.duplicate();
            assertThat(body.getShort()).isEqualTo(version);
            org.apache.kafka.coordinator.transaction.generated.TransactionLogValue kafka =
                new org.apache.kafka.coordinator.transaction.generated.TransactionLogValue(new ByteBufferAccessor(body), version);
            assertThat(body.hasRemaining()).isFalse();
            assertThat(kafka.producerId()).isEqualTo(4242);
            assertThat(kafka.producerEpoch()).isEqualTo((short) 7);
            assertThat(kafka.transactionTimeoutMs()).isEqualTo(60_000);
            assertThat(kafka.transactionStatus()).isEqualTo(TransactionState.ONGOING.code());
            assertThat(kafka.transactionLastUpdateTimestampMs()).isEqualTo(1_700_000_000_123L);
            assertThat(kafka.transactionStartTimestampMs()).isEqualTo(1_700_000_000_000L);
            assertThat(kafka.transactionPartitions()).extracting(PartitionsSchema::topic).containsExactly("a", "b");
            assertThat(kafka.transactionPartitions().get(0).partitionIds()).containsExactly(0, 1);
            if (version == 1) {
                assertThat(kafka.previousProducerId()).isEqualTo(41);
                assertThat(kafka.nextProducerId()).isEqualTo(43);
                assertThat(kafka.clientTransactionVersion()).isEqualTo((short) 2);
            }

            ObjectSerializationCache cache = new ObjectSerializationCache();
            MessageSizeAccumulator size = new MessageSizeAccumulator();
            kafka.addSize(size, cache, version);
            ByteBuffer theirs = ByteBuffer.allocate(2 + size.totalSize());
            theirs.putShort(version);
            kafka.write(new ByteBufferAccessor(theirs), cache, version);
            theirs.flip();
            assertThat(theirs).as("v%d bytes", version).isEqualTo(ours);
            io.tributary.server.txn.TransactionLogValue read = TransactionLogFormat.readValue(theirs);
            assertThat(read.partitions()).isEqualTo(VALUE.partitions());
            assertThat(read.state()).isEqualTo(TransactionState.ONGOING);
            assertThat(read.producerId()).isEqualTo(4242);
            assertThat(read.clientTransactionVersion()).isEqualTo(version == 1 ? (short) 2 : (short) 0);
        }
    }

    @Test
    void aValueWithoutPartitionsAndTheNullArrayKafkaMayWriteAreRead() {
        org.apache.kafka.coordinator.transaction.generated.TransactionLogValue kafka =
            new org.apache.kafka.coordinator.transaction.generated.TransactionLogValue().setProducerId(1).setProducerEpoch((short) 0)
                .setTransactionTimeoutMs(1000).setTransactionStatus(TransactionState.EMPTY.code()).setTransactionPartitions(null);
        for (short version = 0; version <= 1; version++) {
            ObjectSerializationCache cache = new ObjectSerializationCache();
            MessageSizeAccumulator size = new MessageSizeAccumulator();
            kafka.addSize(size, cache, version);
            ByteBuffer theirs = ByteBuffer.allocate(2 + size.totalSize());
            theirs.putShort(version);
            kafka.write(new ByteBufferAccessor(theirs), cache, version);
            theirs.flip();
            assertThat(TransactionLogFormat.readValue(theirs).partitions()).isEmpty();
            assertThat(TransactionLogFormat.readValue(theirs).state()).isEqualTo(TransactionState.EMPTY);
        }
        assertThat(List.of(TransactionState.values())).extracting(TransactionState::code)
            .containsExactly((byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7);
    }
}
