package io.tributary.log;

import io.tributary.log.epoch.EpochEntry;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PartitionLog#appendAsFollower}: a follower appends the leader's batches as they are and ends up with the
 * leader's bytes, leader-epoch cache, producer state and open transactions, also after a reopen.
 */
class FollowerAppendTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(1_000);
    private final List<PartitionLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        opened.forEach(PartitionLog::close);
    }

    private PartitionLog open(String name) throws IOException {
        Path logDir = Files.createDirectories(dir.resolve(name));
        PartitionLog log = LogTestSupport.open(logDir, LogTestSupport.config(Map.of()), clock);
        opened.add(log);
        return log;
    }

    /** A leader log: plain and idempotent batches at epoch 0, then at epoch 3 an open transaction and a plain batch. */
    private PartitionLog leader() throws IOException {
        PartitionLog leader = open("leader");
        leader.append(TransactionalBatches.plain(3, clock.millis()), 0);
        leader.appendAsLeader(leader.validate(TransactionalBatches.batch(7, (short) 1, 0, 4, false, clock.millis())), 0);
        leader.appendAsLeader(leader.validate(TransactionalBatches.batch(7, (short) 1, 4, 2, false, clock.millis())), 0);
        leader.startLeaderEpoch(3);
        leader.appendAsLeader(leader.validate(TransactionalBatches.batch(9, (short) 0, 0, 2, true, clock.millis())), 3);
        leader.append(TransactionalBatches.plain(1, clock.millis()), 3);
        return leader;
    }

    private static ByteBuffer bytes(PartitionLog log) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(log.activeSegment().logFile()));
    }

    /** The position after the first {@code batches} batches of {@code records}. */
    private static int after(ByteBuffer records, int batches) {
        RecordBatch batch = RecordBatch.at(records, 0);
        int position = 0;
        for (int i = 0; i < batches; i++) {
            batch.wrap(records, position);
            position += batch.sizeInBytes();
        }
        return position;
    }

    @Test
    void theFollowerHoldsTheLeadersBytesEpochsAndProducerState() throws IOException {
        PartitionLog leader = leader();
        ByteBuffer all = bytes(leader);
        PartitionLog follower = open("follower");

        int split = after(all, 2);
        assertThat(follower.appendAsFollower(all.duplicate().limit(split))).isEqualTo(7);
        // the next fetch may start inside what the follower holds: those batches are skipped
        assertThat(follower.appendAsFollower(all.duplicate())).isEqualTo(leader.logEndOffset());
        assertThat(follower.appendAsFollower(all.duplicate())).as("nothing new").isEqualTo(leader.logEndOffset());

        assertThat(bytes(follower)).isEqualTo(bytes(leader));
        assertThat(follower.leaderEpochCache().entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(3, 9));
        assertThat(follower.leaderEpochCache().entries()).isEqualTo(leader.leaderEpochCache().entries());
        assertThat(follower.producerEntry(7).lastSeq()).isEqualTo(leader.producerEntry(7).lastSeq()).isEqualTo(5);
        assertThat(follower.producerEpoch(9)).isEqualTo((short) 0);
        assertThat(follower.openTransactions()).isEqualTo(leader.openTransactions()).containsEntry(9L, 9L);
        assertThat(follower.lastStableOffset()).isEqualTo(leader.lastStableOffset()).isEqualTo(9);

        follower.close();
        opened.remove(follower);
        PartitionLog reopened = LogTestSupport.open(dir.resolve("follower"), follower.config(), clock);
        opened.add(reopened);
        assertThat(reopened.leaderEpochCache().entries()).isEqualTo(leader.leaderEpochCache().entries());
        assertThat(reopened.producerEntry(7).lastSeq()).isEqualTo(5);
        assertThat(reopened.openTransactions()).containsEntry(9L, 9L);
    }

    @Test
    void aCorruptOrBackwardsFetchIsRefusedAndLeavesTheLogAlone() throws IOException {
        PartitionLog leader = leader();
        ByteBuffer all = bytes(leader);
        PartitionLog follower = open("follower");

        ByteBuffer corrupt = ByteBuffer.allocate(all.remaining()).put(all.duplicate()).flip();
        corrupt.put(after(all, 1) + RecordBatch.RECORDS_OFFSET + 2, (byte) 0x55); // inside the second batch's records
        assertThatThrownBy(() -> follower.appendAsFollower(corrupt)).isInstanceOf(CorruptRecordException.class);
        assertThat(follower.logEndOffset()).isZero();

        // the second batch starts at offset 3, past the empty follower's end (a gap a compacted leader may leave), but the
        // first one after it goes backwards
        ByteBuffer second = all.duplicate().position(after(all, 1)).limit(after(all, 2)).slice();
        ByteBuffer first = all.duplicate().limit(after(all, 1)).slice();
        ByteBuffer backwards = ByteBuffer.allocate(second.remaining() + first.remaining()).put(second).put(first).flip();
        assertThatThrownBy(() -> follower.appendAsFollower(backwards)).isInstanceOf(InvalidRecordException.class);
        assertThat(follower.logEndOffset()).isZero();
    }

    @Test
    void truncatingAtTheEndDropsAnEpochThatWroteNothing() throws IOException {
        PartitionLog leader = leader();
        long end = leader.logEndOffset();
        leader.startLeaderEpoch(5);
        assertThat(leader.leaderEpochCache().latestEpoch()).isEqualTo(5);
        leader.truncateTo(end);
        assertThat(leader.logEndOffset()).isEqualTo(end);
        assertThat(leader.leaderEpochCache().latestEpoch()).isEqualTo(3);
    }
}
