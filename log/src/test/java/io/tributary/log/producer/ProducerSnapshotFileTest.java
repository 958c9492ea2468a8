package io.tributary.log.producer;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/** The snapshot file's two versions: 1 byte for byte as before transactions, 2 with each producer's transaction. */
class ProducerSnapshotFileTest {
    private static final BatchMetadata BATCH = new BatchMetadata(0, 4, 100, 104, -1);

    @Test
    void withoutTransactionStateTheFileIsVersionOneByteForByte() {
        ProducerEntry entry = ProducerEntry.restore(7, (short) 2, 1_000, List.of(BATCH));
        ByteBuffer expected = ByteBuffer.allocate(2 + 4 + 8 + 2 + 8 + 1 + 32 + 4)
            .putShort((short) 1).putInt(1)
            .putLong(7).putShort((short) 2).putLong(1_000).put((byte) 1)
            .putInt(0).putInt(4).putLong(100).putLong(104).putLong(-1);
        CRC32C crc = new CRC32C();
        crc.update(expected.array(), 0, expected.position());
        expected.putInt((int) crc.getValue());
        assertThat(ProducerSnapshotFile.encode(List.of(entry))).isEqualTo(expected.array());
    }

    @Test
    void anOpenTransactionOrACoordinatorEpochMakesItVersionTwoAndRoundTrips() {
        ProducerEntry open = ProducerEntry.restore(7, (short) 2, 1_000, List.of(BATCH), -1, 100);
        ProducerEntry ended = ProducerEntry.restore(8, (short) 0, 2_000, List.of(), 3, -1);
        ProducerEntry plain = ProducerEntry.restore(9, (short) 0, 3_000, List.of(BATCH));
        byte[] bytes = ProducerSnapshotFile.encode(List.of(open, ended, plain));
        assertThat(ByteBuffer.wrap(bytes).getShort()).isEqualTo((short) 2);
        List<ProducerEntry> decoded = ProducerSnapshotFile.decode(bytes);
        assertThat(decoded).hasSize(3);
        assertThat(decoded.get(0).currentTxnFirstOffset()).isEqualTo(100);
        assertThat(decoded.get(0).batches()).containsExactly(BATCH);
        assertThat(decoded.get(1).coordinatorEpoch()).isEqualTo(3);
        assertThat(decoded.get(1).currentTxnFirstOffset()).isEqualTo(-1);
        assertThat(decoded.get(2).coordinatorEpoch()).isEqualTo(-1);
        assertThat(decoded.get(2).lastUpdateMs()).isEqualTo(3_000);
    }
}
